"""The load test of issue #8: simulated counter clerks over HTTP against the production server set-up.

Entry point: `bench/load/run.py` (see bench/README.md "bench/load"). Modules:

- `clerks`   the HTTP client (keep-alive http.client), the rate controller and the clerk threads (no Django);
- `targets`  bench users, API tokens and the targets picked from the database before the run (Django);
- `server`   starts and stops gunicorn exactly as `jumin serve` does, on a free port;
- `monitor`  samples the server's CPU and memory from /proc and PostgreSQL's pg_stat_activity;
- `report`   percentiles, 10-s windows, spike recovery, soak trend, the markdown for docs/performance.md;
- `chart`    the PNG chart (Pillow's ImageDraw: no plotting dependency).
"""
