"""What the benchmarks share: the lab's helpers, a headless Ringline on the session bus,
a reference baresip on ctrl_tcp, and a GLib-friendly wait."""
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import time

from gi.repository import Gio, GLib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUS, PATH, PHONE = "org.ringline.Ringline", "/org/ringline/Ringline", "org.ringline.Ringline.Phone1"


def load_lab_module():
    loader = importlib.machinery.SourceFileLoader("rllab", os.path.join(ROOT, "tests", "lab", "rl-lab"))
    spec = importlib.util.spec_from_loader("rllab", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


lab = load_lab_module()


def wait_for(pred, timeout, what):
    """Blocks in the main context until pred() holds: a D-Bus signal wakes it at once, as a socket
    read wakes the reference's client (polling with sleeps added up to a timer tick to Ringline's
    figure only). A 50 ms tick re-checks predicates that poll instead of waiting for a signal."""
    ctx = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    tick = GLib.timeout_add(50, lambda: True)
    try:
        while not pred():
            if time.monotonic() > deadline:
                sys.exit(f"bench: timed out waiting for {what}")
            ctx.iteration(True)
    finally:
        GLib.source_remove(tick)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def start_sipp(work, scenario, procs, extra=()):
    port = lab.free_port()
    procs.append(subprocess.Popen(
        ["sipp", *lab.sipp_ports(), "-sf", os.path.join(HERE, scenario), "-i", "127.0.0.1", "-p", str(port),
         "-nostdin", *extra], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True))
    return port


def start_reference(work, procs, sipp_port):
    """A bare baresip set up as Ringline sets up its own: the lab bots' configuration with the
    codecs Ringline loads (G.711, G.722, Opus, offered in that order), and a UA with Ringline's
    parameters (the server as outbound proxy, manual answer) that does not register."""
    sip, ctrl_port = lab.free_port(), lab.free_port()
    lab.baresip_config(os.path.join(work, "ref"), sip, ctrl_port, extra_modules=("g722.so", "opus.so"))
    proc = subprocess.Popen(["baresip", "-f", os.path.join(work, "ref")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    procs.append(proc)
    lab.wait_tcp(ctrl_port)
    ctrl = lab.Ctrl(ctrl_port)
    ctrl.port = ctrl_port
    ctrl.command("uanew", f'<sip:agent@127.0.0.1:{sipp_port};transport=udp>'
                          f';outbound1="sip:127.0.0.1:{sipp_port};transport=udp";regint=0;answermode=manual')
    return ctrl, proc


def ringline_env(build, **extra):
    """The environment a Ringline core runs in here: the build's schemas, settings in memory, null
    audio, SIP on loopback."""
    return dict(os.environ, GSETTINGS_SCHEMA_DIR=os.path.join(build, "data"), GSETTINGS_BACKEND="memory",
                RINGLINE_AUDIO="null", RINGLINE_SIP_LISTEN="127.0.0.1", **extra)


def start_ringline(build, procs, sipp_port, **env):
    """`ringline --headless` with an account pointed at sipp that does not register."""
    proc = subprocess.Popen([os.path.join(build, "src", "ringline"), "--headless"], env=ringline_env(build, **env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(proc)
    bus = Gio.bus_get_sync(Gio.BusType.SESSION)

    def has_owner():
        return bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                             "NameHasOwner", GLib.Variant("(s)", (BUS,)), None, 0, 1000, None).unpack()[0]
    wait_for(has_owner, 10, "ringline on the bus")

    def engine_running():
        return get_property(bus, "EngineState") == "running"
    wait_for(engine_running, 10, "the engine")
    settings = {"servers": GLib.Variant("as", [f"127.0.0.1:{sipp_port}"]),
                "username": GLib.Variant("s", "agent"), "register": GLib.Variant("b", False)}
    bus.call_sync(BUS, PATH, PHONE, "SetAccount", GLib.Variant("(a{sv})", (settings,)), None, 0, 5000, None)
    return bus, proc


def get_property(bus, name, path=PATH, iface=PHONE):
    v = bus.call_sync(BUS, path, "org.freedesktop.DBus.Properties", "Get",
                      GLib.Variant("(ss)", (iface, name)), None, 0, 1000, None)
    return v.unpack()[0]


def stop_all(procs):
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
