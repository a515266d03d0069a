"""Development stack shared by the tests and the benchmarks (never imported by the product).

`processes` (free ports, stopping a child process) and `botapi` (an emulated Telegram Bot API
that the real bot process talks to over HTTP). tests/ and bench/ both import from here, so
bench/ never imports tests/ (docs/ARCHITECTURE.md).
"""
