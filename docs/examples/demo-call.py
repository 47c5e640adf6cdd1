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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lab", required=True)
    p.add_argument("--ringline", required=True)
    p.add_argument("--screenshot", required=True)
    args = p.parse_args()
    with open(args.lab) as f:
        lab = json.load(f)

    app = subprocess.Popen([args.ringline])
    try:
        rl = client.Ringline()
        rl.wait_for_service()
        rl.set_account(client.lab_account(args.lab, 0))
        rl.wait_registered()
        states = {}
        rl.subscribe(lambda path, state, details: states.setdefault(path, {}).update({state: details}))
        path = rl.dial(lab["extensions"]["echo"], {"order_id": "demo"})
        client.loop_until(lambda: "accepted" in states.get(path, {}), 15, "the echo did not answer")
        time.sleep(2)  # a little media, and the timer moves
        windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Ringline$"],
                                 capture_output=True, text=True).stdout.split()
        # The window alone when X lets us read it, else the whole screen.
        if not windows or subprocess.run(["import", "-window", windows[-1], args.screenshot]).returncode:
            subprocess.run(["import", "-window", "root", args.screenshot], check=True)
        rl.call(path, client.CALL, "Hangup")
        client.loop_until(lambda: "terminated" in states.get(path, {}), 15, "the call did not end")
        record = states[path]["terminated"]
        print(json.dumps({k: record[k] for k in ("id", "from", "to", "direction", "date", "duration",
                                                 "wait", "total", "reason")}, indent=2))
        print(f"screenshot: {args.screenshot}")
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
