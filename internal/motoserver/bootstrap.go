package motoserver

// bootstrap is the Python program that runs moto. It is passed to
// `python3 -c`, followed by moto.server's own arguments.
//
// It does three things before handing over to moto.server.main:
//
//  1. Caches two pure functions moto calls on hot paths (unless
//     BUSDRILL_MOTO_CACHES=0). jsonpath_ng.ext.parse: moto's EventBridge delivery path
//     (moto/events/utils.py, EventTemplateParser.parse) does
//     `from jsonpath_ng.ext import parse` inside the function and re-parses
//     the same default input-path expressions for every (event × target);
//     jsonpath_ng builds a PLY parser each time, about 230 ms. The import is
//     function-local, so replacing the module attribute is enough; it is done
//     before moto is imported so module-level imports (stepfunctions) see the
//     cached function too. Parsed expressions are not mutated by find(), so
//     sharing them is safe; functools.lru_cache is thread-safe.
//     moto.core.utils.camelcase_to_underscores (string → string): SQS
//     ReceiveMessage computes every queue attribute through it for every
//     message; it must be patched before moto.sqs is imported, which binds
//     the name. Together they take a delivered-and-drained event from
//     ~190 ms to ~10 ms on these machines.
//  2. Quietens werkzeug's per-request access log unless BUSDRILL_MOTO_LOG_REQUESTS=1
//     (errors and tracebacks are still written to stderr).
//  3. Exits when its stdin reaches EOF, if BUSDRILL_MOTO_WATCH_STDIN=1. The Go
//     side holds the write end of that pipe, so moto dies with the process
//     that started it even when that process is killed without running its
//     cleanups (a go test timeout, SIGKILL): no orphans.
const bootstrap = `
import functools, logging, os, sys, threading
if os.environ.get("BUSDRILL_MOTO_CACHES", "1") == "1":
    try:
        import jsonpath_ng.ext as _ext
        _ext.parse = functools.lru_cache(maxsize=4096)(_ext.parse)
        sys.stderr.write("busdrill-moto: jsonpath_ng.ext.parse cached\n")
    except Exception as e:
        sys.stderr.write("busdrill-moto: jsonpath patch not applied: %r\n" % (e,))
    try:
        import moto.core.utils as _mu
        _mu.camelcase_to_underscores = functools.lru_cache(maxsize=65536)(_mu.camelcase_to_underscores)
        sys.stderr.write("busdrill-moto: moto.core.utils.camelcase_to_underscores cached\n")
    except Exception as e:
        sys.stderr.write("busdrill-moto: camelcase patch not applied: %r\n" % (e,))
if os.environ.get("BUSDRILL_MOTO_LOG_REQUESTS") != "1":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
def _watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except Exception:
        pass
    os._exit(0)
if os.environ.get("BUSDRILL_MOTO_WATCH_STDIN") == "1":
    threading.Thread(target=_watch_stdin, daemon=True).start()
sys.stderr.flush()
from moto.server import main
main(sys.argv[1:])
`
