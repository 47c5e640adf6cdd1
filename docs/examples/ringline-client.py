#!/usr/bin/env python3
"""A small client of Ringline's D-Bus API, as a CRM integration would write it.

  ringline-client.py wait-for-service
  ringline-client.py set-account --servers pbx.example.org --username 1001 --password-stdin
  ringline-client.py set-account --lab build/lab.json [--agent 0]
  ringline-client.py dial NUMBER [--option order_id=A1 ...] [--wait]
  ringline-client.py answer CALL_PATH | hangup CALL_PATH
  ringline-client.py calls
  ringline-client.py watch          # one JSON line per CallStateChanged

Needs python3-gi. See docs/dbus-api.md.
"""
import argparse
import json
import sys

from gi.repository import Gio, GLib

BUS, PATH = "org.ringline.Ringline", "/org/ringline/Ringline"
PHONE, CALL = "org.ringline.Ringline.Phone1", "org.ringline.Ringline.Call1"


class Ringline:
    def __init__(self):
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION)

    def call(self, path, iface, method, args=None, reply=None, timeout=10000):
        return self.bus.call_sync(BUS, path, iface, method, args,
                                  GLib.VariantType(reply) if reply else None,
                                  Gio.DBusCallFlags.NONE, timeout, None)

    def prop(self, name, path=PATH, iface=PHONE):
        return self.call(path, "org.freedesktop.DBus.Properties", "Get",
                         GLib.Variant("(ss)", (iface, name)), "(v)").unpack()[0]

    def wait_for_service(self, timeout=15):
        loop_until(lambda: self.bus.call_sync(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
            GLib.Variant("(s)", (BUS,)), None, 0, 1000, None).unpack()[0], timeout,
            "Ringline is not on the session bus")

    def set_account(self, settings):
        variant = {k: GLib.Variant("as" if k == "servers" else "b" if isinstance(v, bool) else "s", v)
                   for k, v in settings.items()}
        self.call(PATH, PHONE, "SetAccount", GLib.Variant("(a{sv})", (variant,)))

    def wait_registered(self, timeout=15):
        loop_until(lambda: self.prop("RegistrationState") == "registered", timeout,
                   lambda: "not registered: " + self.prop("RegistrationError"))

    def dial(self, target, options=None):
        opts = {k: GLib.Variant("s", v) for k, v in (options or {}).items()}
        return self.call(PATH, PHONE, "Dial", GLib.Variant("(sa{sv})", (target, opts)), "(o)").unpack()[0]

    def subscribe(self, callback):
        def on_signal(_bus, _sender, _path, _iface, _name, params):
            path, state, details = params.unpack()
            callback(path, state, details)
        return self.bus.signal_subscribe(BUS, PHONE, "CallStateChanged", PATH, None,
                                         Gio.DBusSignalFlags.NONE, on_signal)


def loop_until(predicate, timeout, message):
    ctx = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + timeout * 1_000_000
    while True:
        try:
            if predicate():
                return
        except GLib.Error:
            pass
        if GLib.get_monotonic_time() > deadline:
            sys.exit(message() if callable(message) else message)
        ctx.iteration(False)
        GLib.usleep(20_000)


def lab_account(lab_file, agent):
    with open(lab_file) as f:
        lab = json.load(f)
    a = lab["agents"][agent]
    return {"servers": [lab["domain"]], "username": a["username"], "password": a["password"],
            "display_name": "Lab Agent " + a["username"]}


def main():
    p = argparse.ArgumentParser(description="Drive Ringline over D-Bus")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("wait-for-service")
    sa = sub.add_parser("set-account")
    sa.add_argument("--lab")
    sa.add_argument("--agent", type=int, default=0)
    sa.add_argument("--servers", nargs="*")
    sa.add_argument("--username")
    sa.add_argument("--password-stdin", action="store_true")
    d = sub.add_parser("dial")
    d.add_argument("target")
    d.add_argument("--option", action="append", default=[])
    d.add_argument("--wait", action="store_true", help="wait for the end and print the record")
    for verb in ("answer", "hangup"):
        sub.add_parser(verb).add_argument("call")
    sub.add_parser("calls")
    sub.add_parser("watch")
    args = p.parse_args()

    rl = Ringline()
    if args.cmd == "wait-for-service":
        rl.wait_for_service()
    elif args.cmd == "set-account":
        if args.lab:
            settings = lab_account(args.lab, args.agent)
        else:
            settings = {"servers": args.servers or [], "username": args.username or ""}
            if args.password_stdin:  # never on the command line
                settings["password"] = sys.stdin.readline().rstrip("\n")
        rl.set_account(settings)
        rl.wait_registered()
        print("registered")
    elif args.cmd == "dial":
        ended = {}
        rl.subscribe(lambda path, state, details: ended.update({path: details})
                     if state == "terminated" else None)
        path = rl.dial(args.target, dict(o.split("=", 1) for o in args.option))
        print(path)
        if args.wait:
            loop_until(lambda: path in ended, 3600, "the call did not end")
            print(json.dumps(ended[path], indent=2))
    elif args.cmd in ("answer", "hangup"):
        rl.call(args.call, CALL, args.cmd.capitalize())
    elif args.cmd == "calls":
        for path in rl.prop("Calls"):
            print(path, rl.prop("State", path, CALL), rl.prop("RemoteNumber", path, CALL))
    elif args.cmd == "watch":
        rl.subscribe(lambda path, state, details: print(json.dumps(
            {"call": path, "state": state, "details": details}), flush=True))
        GLib.MainLoop().run()


if __name__ == "__main__":
    main()
