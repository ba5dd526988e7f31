"""The review of a plan (issue #14): its status *Đang soạn → Chờ duyệt → Đã duyệt* (or back,
with a reason), the steps with who took them and when, and the comments (*góp ý*) a leader
leaves on a block for the drafter to resolve.

`model` holds the statuses, steps, approvals and comments; `blocks` the stable key of a block a
comment is on; `workflow` the `Review` class that reads and writes them, every rule checked with
`planner.auth.access.require` and every change written to the audit log in its transaction.

Layer 2 (beside `store/` and `auth/`): imports `planner.auth`, `planner.store`, `planner.model`,
`planner.text` and `planner.errors`; never the catalogue, documents or drafting.
"""
