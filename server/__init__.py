"""The office server (`make serve`): sign-in in front of every page, download and upload.

`serve.py` wraps the Streamlit app (`app.py`) in an `st.App` with the routes and middleware
here. Never imported by `planner/` (the domain) nor by `make run` (personal mode):

- `settings`: where the server listens, its database, its cookie secret, OIDC, from the env.
- `cookies`: the signed session cookie and the sign-in form's CSRF token (itsdangerous).
- `gate`: an ASGI middleware in front of every HTTP request and the websocket.
- `pages`, `routes`: the Vietnamese sign-in and sign-out pages.
- `preflight`: the checks `serve.py` runs before it starts (an admin account, a secret).
"""
