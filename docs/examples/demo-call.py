#!/usr/bin/env python3
"""./dev run without a display: the window under Xvfb places a call to the lab's
echo extension, a screenshot is saved while in call, the call's record is printed."""
import argparse
import importlib.machinery
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader("ringline_client", os.path.join(HERE, "ringline-client.py"))
spec = importlib.util.spec_from_loader("ringline_client", loader)
client = importlib.util.module_from_spec(spec)
loader.exec_module(client)


def screenshot(path):
    windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Ringline$"],
                             capture_output=True, text=True).stdout.split()
    # The window alone when X lets us read it, else the whole screen.
    if not windows or subprocess.run(["import", "-window", windows[-1], path]).returncode:
        subprocess.run(["import", "-window", "root", path], check=True)


def ringing(states):
    for path, seen in states.items():
        if "ringing" in seen and "accepted" not in seen and "terminated" not in seen:
            return path
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lab", required=True)
    p.add_argument("--ringline", required=True)
    p.add_argument("--screenshot", required=True)
    p.add_argument("--waiting-screenshot", help="also show call waiting, saved here")
    p.add_argument("--contacts-screenshot", help="also show a contact search, saved here")
    p.add_argument("--lab-tool", default=os.path.join(HERE, "..", "..", "tests", "lab", "rl-lab"))
    args = p.parse_args()
    with open(args.lab) as f:
        lab = json.load(f)

    app = subprocess.Popen([args.ringline])
    try:
        rl = client.Ringline()
        rl.wait_for_service()
        rl.set_account(client.lab_account(args.lab, 0))
        rl.wait_registered()
        # A CRM pushes its contacts: the echo gets a name (caller ID) and the
        # contacts page has people to find.
        rl.call(client.PATH, client.PHONE, "SetContacts", client.GLib.Variant("(saa{sv})", ("crm", [
            {"id": client.GLib.Variant("s", cid), "name": client.GLib.Variant("s", name),
             "phones": client.GLib.Variant("as", phones), "company": client.GLib.Variant("s", company)}
            for cid, name, phones, company in [
                ("1", "Echo Desk", [lab["extensions"]["echo"]], "Ringline lab"),
                ("2", "María José Álvarez", ["+34 917 37 01 92", "+34 600 123 456"], "Acme Iberia"),
                ("3", "Marc Dubois", ["+33 1 44 55 66 77"], "Acme France"),
                ("4", "Mariam Haddad", ["+971 4 123 4567"], "Acme Gulf"),
                ("5", "张伟 (Zhang Wei)", ["+86 10 8888 0000"], "Acme China"),
            ]])))
        if args.contacts_screenshot:
            client.loop_until(lambda: rl.prop("ContactCount").get("crm") == 5, 15, "contacts not indexed")
            window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^Ringline$"],
                                    capture_output=True, text=True).stdout.split()[-1]
            subprocess.run(["xdotool", "windowfocus", "--sync", window, "key", "ctrl+f",
                            "type", "--delay", "40", "mar"], check=True)
            time.sleep(1)
            screenshot(args.contacts_screenshot)
            subprocess.run(["xdotool", "key", "ctrl+a", "BackSpace"], check=True)
        states = {}
        rl.subscribe(lambda path, state, details: states.setdefault(path, {}).update({state: details}))
        path = rl.dial(lab["extensions"]["echo"], {"order_id": "demo"})
        client.loop_until(lambda: "accepted" in states.get(path, {}), 15, "the echo did not answer")
        # Media flows; the first RTCP reports bring the quality indicator.
        client.loop_until(lambda: "label" in rl.prop("Quality", path, client.CALL), 15,
                          "no call quality figures")
        time.sleep(1.5)  # the page's cross-fade ends and the timer moves
        screenshot(args.screenshot)
        if args.waiting_screenshot:
            # A second caller: it rings while the echo call is up; answering it holds the echo.
            subprocess.run([sys.executable, args.lab_tool, "call", "--dir", lab["dir"],
                            lab["agents"][0]["username"]], check=True, stdout=subprocess.DEVNULL)
            client.loop_until(lambda: ringing(states), 15, "the second call did not ring")
            second = ringing(states)
            rl.call(second, client.CALL, "Answer")
            client.loop_until(lambda: "held" in states.get(path, {}), 15, "the first call was not held")
            time.sleep(1)
            screenshot(args.waiting_screenshot)
            rl.call(second, client.CALL, "Hangup")
            rl.call(path, client.CALL, "Resume")
            client.loop_until(lambda: "terminated" in states.get(second, {}), 15, "the second call did not end")
        rl.call(path, client.CALL, "Hangup")
        client.loop_until(lambda: "terminated" in states.get(path, {}), 15, "the call did not end")
        record = states[path]["terminated"]
        print(json.dumps({k: record[k] for k in ("id", "from", "to", "direction", "date", "duration",
                                                 "wait", "total", "reason")}, indent=2))
        print(f"screenshot: {args.screenshot}")
        for extra in (args.waiting_screenshot, args.contacts_screenshot):
            if extra:
                print(f"screenshot: {extra}")
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
