"""Accounts, sign-in sessions, roles and units: who may do what on the office server.

Layer 2, beside `store/`: may import `errors`, `paths`, `text` (layer 0), `model` (layer 1)
and `store` (layer 2); `catalogue` (layer 3) and above may import it.

`model` (Role, User), `access` (Action, `allowed`, `require`: the rules of roles and units),
`accounts` (argon2 passwords, lock-out), `sessions` (sign-in tokens, idle and absolute
expiry), `guarded` (`GuardedStore`: the plan store as one user may use it, every write
audited). `user=None` everywhere means the personal mode (`make run`): everything allowed.
"""
