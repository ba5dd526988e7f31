"""`python -m planner`: one module per command group, each only parsing arguments, calling the
domain and printing. `main` registers them and turns a `PlannerError` into exit 2.

Layer 6 (top): may import any planner package.
"""
