package motoserver

// bootstrap is the Python program that runs moto. It is passed to
// `python3 -c`, followed by moto.server's own arguments.
//
// It does four things before handing over to moto.server.main:
//
//  1. Teaches moto 5.x cross-account PutEvents (unless
//     BUSDRILL_MOTO_CROSS_ACCOUNT=0): an entry whose EventBusName is the
//     ARN of a bus in another account (or Region) is delivered on that
//     bus, with the event's account set to the caller, as AWS does. Stock
//     moto looks the bus name up in the caller's own account and fails
//     the whole call with ResourceNotFoundException, so the reference
//     backbone (services publish to the bus account's global bus) cannot
//     run on it. The patch is applied by an import hook right after
//     moto.events.models is imported, so that it does not change the
//     order in which moto's modules are imported (the caches below must
//     be in place before moto.sqs is imported).
//  2. Caches two pure functions moto calls on hot paths (unless
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
//  3. Quietens werkzeug's per-request access log unless BUSDRILL_MOTO_LOG_REQUESTS=1
//     (errors and tracebacks are still written to stderr).
//  4. Exits when its stdin reaches EOF, if BUSDRILL_MOTO_WATCH_STDIN=1. The Go
//     side holds the write end of that pipe, so moto dies with the process
//     that started it even when that process is killed without running its
//     cleanups (a go test timeout, SIGKILL): no orphans.
const bootstrap = `
import functools, logging, os, sys, threading
if os.environ.get("BUSDRILL_MOTO_CROSS_ACCOUNT", "1") == "1":
    import importlib.abc, importlib.util

    def _busdrill_patch(m):
        import copy, json
        orig = m.EventsBackend.put_events
        def put_events(self, events):
            remote = {}
            for i, e in enumerate(events):
                name = e.get("EventBusName") or ""
                if name.startswith("arn:"):
                    parts = name.split(":")
                    if len(parts) >= 6 and (parts[4] != self.account_id or parts[3] != self.region_name):
                        remote[i] = (parts[4], parts[3], parts[5].split("/")[-1])
            if not remote:
                return orig(self, events)
            results = [None] * len(events)
            local = [i for i in range(len(events)) if i not in remote]
            if local:
                for i, r in zip(local, orig(self, [events[i] for i in local])):
                    results[i] = r
            for i, (acct, region, bus_name) in remote.items():
                e = events[i]
                if not e.get("Source") or not e.get("DetailType") or not e.get("Detail"):
                    results[i] = orig(self, [e])[0]  # moto's own validation message
                    continue
                try:
                    detail = json.loads(e["Detail"])
                except ValueError:
                    results[i] = {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."}
                    continue
                target = m.events_backends[acct][region]
                try:
                    bus = target.describe_event_bus(bus_name)
                except Exception:
                    # AWS accepts an entry for a bus that does not exist and
                    # routes it nowhere.
                    results[i] = {"EventId": str(m.random.uuid4())}
                    continue
                eid = str(m.random.uuid4())
                for rule in list(bus.rules.values()):
                    msg = copy.deepcopy(m._BASE_EVENT_MESSAGE)
                    msg["id"] = eid
                    msg["detail-type"] = e["DetailType"]
                    msg["source"] = e["Source"]
                    msg["account"] = self.account_id
                    msg["time"] = e.get("Time", m.unix_time())
                    msg["region"] = region
                    msg["resources"] = e.get("Resources", [])
                    msg["detail"] = copy.deepcopy(detail)
                    msg["ingestion-time"] = m.unix_time()
                    rule.send_to_targets(msg)
                results[i] = {"EventId": eid}
            return results
        m.EventsBackend.put_events = put_events
        sys.stderr.write("busdrill-moto: cross-account PutEvents patched\n")

    class _BusdrillHook(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "moto.events.models":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            exec_module = spec.loader.exec_module
            def patched_exec(module):
                exec_module(module)
                try:
                    _busdrill_patch(module)
                except Exception as e:
                    sys.stderr.write("busdrill-moto: cross-account patch not applied: %r\n" % (e,))
            spec.loader.exec_module = patched_exec
            return spec

    sys.meta_path.insert(0, _BusdrillHook())
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
