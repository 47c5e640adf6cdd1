/* bench-call-client.c: bench/calls runs this.
 *
 * The client side of bench/calls, in C so that both paths pay the same small
 * client cost (a Python client spent more time unpacking D-Bus signals than
 * reading baresip's JSON, and that counted against Ringline). Places calls
 * back to back, alternating: one through Ringline over D-Bus (Dial() until
 * the call's CallStateChanged "accepted"), one through a bare baresip over
 * ctrl_tcp ("dial" until its CALL_ESTABLISHED event) and, with --server, one
 * through a Ringline core in this process, the window's path (its "dial"
 * action until the call is accepted); each keeps its media up for a while
 * and hangs up. Also times a bare D-Bus round trip to Ringline for scale,
 * both back to back (warm) and, every tenth call and after the last, after
 * the same idle time a Dial() follows (cold: on this kind of virtual machine
 * waking a sleeping thread on an idle CPU costs 0.1-0.3 ms, and a round trip
 * wakes four), and reads the RSS of Ringline and of its baresip after the
 * first and the last call. Prints JSON; bench/calls does the statistics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-core.h"
#include "rl-ctrl-codec.h"
#include "rl-dbus-service.h"
#include "rl-verbs.h"

#include <gio/gio.h>
#include <stdlib.h>

#define BUS_NAME "org.ringline.Ringline"
#define PHONE_PATH "/org/ringline/Ringline"
#define PHONE_IFACE "org.ringline.Ringline.Phone1"
#define CALL_IFACE "org.ringline.Ringline.Call1"
#define WAIT_SECONDS 10

typedef struct
{
  GDBusConnection *bus;
  GHashTable *states; /* call path → the last state seen */
  GSocketConnection *ctrl;
  RlCtrlCodec *ctrl_codec;
  guint token;
  RlCore *core;            /* in-process, as the window drives it */
  GActionGroup *actions;   /* its verbs, as the window has them */
  RlDbusService *dbus;     /* its D-Bus view, as the app exports it */
  GDBusConnection *export; /* the in-process core's own bus connection */
  RlCall *core_call;       /* its call in progress */
} Client;

static void
on_state_changed (GDBusConnection *bus, const char *sender, const char *path, const char *iface,
                  const char *signal, GVariant *params, gpointer user_data)
{
  Client *client = user_data;
  const char *call, *state;

  g_variant_get (params, "(&o&s@a{sv})", &call, &state, NULL);
  g_hash_table_insert (client->states, g_strdup (call), g_strdup (state));
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Blocks in the main context, so what @done waits for (a signal, a ctrl_tcp
 * event read by the in-process core) wakes the client at once. */
static void
wait_until (gboolean (*done) (gpointer), gpointer data, const char *what)
{
  gboolean late = FALSE;
  guint deadline = g_timeout_add_seconds (WAIT_SECONDS, on_deadline, &late);

  while (!done (data))
    {
      if (late)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (deadline);
}

typedef struct
{
  GHashTable *states;
  const char *call;
  const char *state;
} BusAwait;

static gboolean
bus_call_reached (gpointer data)
{
  BusAwait *await = data;

  return g_strcmp0 (g_hash_table_lookup (await->states, await->call), await->state) == 0;
}

static void
wait_state (Client *client, const char *call, const char *state)
{
  BusAwait await = { client->states, call, state };

  wait_until (bus_call_reached, &await, state);
}

static void
sleep_in_loop (double seconds)
{
  gboolean done = FALSE;

  g_timeout_add ((guint) (seconds * 1000), on_deadline, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static double
ringline_call (Client *client, const char *target, double media)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) hangup = NULL;
  g_autofree char *call = NULL;
  gint64 sent = g_get_monotonic_time ();
  double ms;

  reply = g_dbus_connection_call_sync (
    client->bus, BUS_NAME, PHONE_PATH, PHONE_IFACE, "Dial",
    g_variant_new ("(s@a{sv})", target, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
    G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (reply == NULL)
    g_error ("Dial: %s", error->message);
  g_variant_get (reply, "(o)", &call);
  wait_state (client, call, "accepted");
  ms = (g_get_monotonic_time () - sent) / 1000.0;
  sleep_in_loop (media);
  hangup = g_dbus_connection_call_sync (client->bus, BUS_NAME, call, CALL_IFACE, "Hangup", NULL,
                                        NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (hangup == NULL)
    g_error ("Hangup: %s", error->message);
  wait_state (client, call, "terminated");
  g_hash_table_remove (client->states, call);
  return ms;
}

static void
on_core_call_added (RlPhone *phone, RlCall *call, gpointer user_data)
{
  Client *client = user_data;

  g_set_object (&client->core_call, call);
}

typedef struct
{
  Client *client;
  RlCallState state;
} CoreAwait;

static gboolean
core_call_reached (gpointer data)
{
  CoreAwait *await = data;
  RlCall *call = await->client->core_call;

  return call && rl_call_get_state (call) == await->state;
}

static void
wait_core_state (Client *client, RlCallState state)
{
  CoreAwait await = { client, state };

  wait_until (core_call_reached, &await, "the in-process call");
}

/* The window's path: the same GAction its Call button activates, on a core
 * in this process (no bus between the caller and the core). */
static double
core_call (Client *client, const char *target, double media)
{
  GActionGroup *actions = client->actions;
  gint64 sent = g_get_monotonic_time ();
  double ms;

  g_action_group_activate_action (
    actions, "dial",
    g_variant_new ("(s@a{sv})", target, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)));
  wait_core_state (client, RL_CALL_STATE_ACCEPTED);
  ms = (g_get_monotonic_time () - sent) / 1000.0;
  sleep_in_loop (media);
  g_action_group_activate_action (actions, "hangup",
                                  g_variant_new_string (rl_call_get_id (client->core_call)));
  wait_core_state (client, RL_CALL_STATE_TERMINATED);
  g_clear_object (&client->core_call);
  return ms;
}

static gboolean
engine_running (gpointer data)
{
  Client *client = data;
  RlEngine *engine = rl_phone_get_engine (rl_core_get_phone (client->core));

  return rl_engine_get_state (engine) == RL_ENGINE_STATE_RUNNING;
}

/* A core set up as bench/calls sets up `ringline --headless`: exported on
 * the session bus (on a connection of its own, without the well-known name,
 * so its signals cost what the app's do), an account at the server that does
 * not register. */
static void
start_core (Client *client, const char *server)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr (RlAccount) account = NULL;
  const char *servers[] = { server, NULL };
  g_autoptr (GVariantDict) settings = g_variant_dict_new (NULL);

  client->export = address ? g_dbus_connection_new_for_address_sync (
                     address,
                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                       | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                     NULL, NULL, &error)
                           : NULL;
  if (client->export == NULL)
    g_error ("session bus: %s", error->message);
  client->core = rl_core_new ();
  client->actions = G_ACTION_GROUP (rl_verbs_new (client->core));
  client->dbus = rl_dbus_service_new (client->core);
  rl_core_startup (client->core);
  if (!rl_dbus_service_export (client->dbus, client->export, RL_OBJECT_PATH, &error))
    g_error ("exporting the in-process core: %s", error->message);
  g_signal_connect (rl_core_get_phone (client->core), "call-added", G_CALLBACK (on_core_call_added),
                    client);
  wait_until (engine_running, client, "the in-process core's engine");
  g_variant_dict_insert_value (settings, "servers", g_variant_new_strv (servers, -1));
  g_variant_dict_insert (settings, "username", "s", "agent");
  g_variant_dict_insert (settings, "register", "b", FALSE);
  account = rl_account_new_from_variant (g_variant_dict_end (settings), &error);
  if (account == NULL)
    g_error ("account: %s", error->message);
  rl_phone_set_account (rl_core_get_phone (client->core), account);
}

static void
stop_core (Client *client)
{
  rl_dbus_service_unexport (client->dbus);
  g_clear_object (&client->dbus);
  g_clear_object (&client->actions);
  rl_core_shutdown (client->core);
  g_clear_object (&client->core);
  g_clear_object (&client->export);
}

static void
ctrl_send (Client *client, const char *command, const char *params)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = g_strdup_printf ("bench%u", client->token++);
  g_autoptr (GBytes) frame = rl_ctrl_codec_encode_request (command, params, token);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (client->ctrl));
  gsize len;
  gconstpointer data = g_bytes_get_data (frame, &len);

  if (!g_output_stream_write_all (out, data, len, NULL, NULL, &error))
    g_error ("ctrl_tcp: %s", error->message);
}

/* Reads messages until an event of @type; blocking, as any client of a
 * socket waits. */
static void
ctrl_wait_event (Client *client, const char *type)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (client->ctrl));

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      JsonObject *message = NULL;
      char chunk[16384];
      gssize got;

      while (rl_ctrl_codec_next (client->ctrl_codec, &message, &error))
        {
          gboolean found
            = json_object_get_boolean_member_with_default (message, "event", FALSE)
              && g_strcmp0 (json_object_get_string_member_with_default (message, "type", ""), type)
                   == 0;

          json_object_unref (message);
          if (found)
            return;
        }
      if (error)
        g_error ("ctrl_tcp: %s", error->message);
      got = g_input_stream_read (in, chunk, sizeof chunk, NULL, &error);
      if (got <= 0)
        g_error ("ctrl_tcp closed: %s", error ? error->message : "end of stream");
      rl_ctrl_codec_push (client->ctrl_codec, (const guint8 *) chunk, got);
    }
}

static double
raw_call (Client *client, const char *target, double media)
{
  gint64 sent = g_get_monotonic_time ();
  double ms;

  ctrl_send (client, "dial", target);
  ctrl_wait_event (client, "CALL_ESTABLISHED");
  ms = (g_get_monotonic_time () - sent) / 1000.0;
  g_usleep ((gulong) (media * G_USEC_PER_SEC));
  ctrl_send (client, "hangup", "");
  ctrl_wait_event (client, "CALL_CLOSED");
  return ms;
}

static double
dbus_round_trip (Client *client)
{
  g_autoptr (GVariant) reply = NULL;
  gint64 start = g_get_monotonic_time ();

  reply = g_dbus_connection_call_sync (client->bus, BUS_NAME, PHONE_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", PHONE_IFACE, "EngineState"), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply == NULL)
    g_error ("Properties.Get failed");
  return (g_get_monotonic_time () - start) / 1000.0;
}

static guint64
rss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  line = strstr (text, "\nVmRSS:");
  return line ? g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10) : 0;
}

static guint64
children_rss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", pid, pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) pids = NULL;
  guint64 sum = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  pids = g_strsplit (g_strstrip (text), " ", -1);
  for (guint i = 0; pids[i]; i++)
    if (*pids[i])
      sum += rss_kib (atoi (pids[i]));
  return sum;
}

static void
add_rss (JsonBuilder *b, const char *name, int pid)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ringline_kib");
  json_builder_add_int_value (b, rss_kib (pid));
  json_builder_set_member_name (b, "baresip_kib");
  json_builder_add_int_value (b, children_rss_kib (pid));
  json_builder_end_object (b);
}

static void
add_series (JsonBuilder *b, const char *name, GArray *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_double_value (b, g_array_index (values, double, i));
  json_builder_end_array (b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *server = NULL;
  int ctrl_port = 0, calls = 200, pid = 0;
  double media = 2.0;
  GOptionEntry entries[]
    = { { "target", 0, 0, G_OPTION_ARG_STRING, &target, "SIP URI both paths dial", "URI" },
        { "ctrl-port", 0, 0, G_OPTION_ARG_INT, &ctrl_port, "the bare baresip's ctrl_tcp port",
          "PORT" },
        { "calls", 0, 0, G_OPTION_ARG_INT, &calls, "calls on each path", "N" },
        { "media", 0, 0, G_OPTION_ARG_DOUBLE, &media, "seconds of media per call", "S" },
        { "ringline-pid", 0, 0, G_OPTION_ARG_INT, &pid, "Ringline's process, for its RSS", "PID" },
        { "server", 0, 0, G_OPTION_ARG_STRING, &server,
          "also place calls through a core in this process, with this server", "HOST:PORT" },
        { NULL } };
  g_autoptr (GOptionContext) options = g_option_context_new ("- bench/calls' client");
  g_autoptr (GSocketClient) connector = g_socket_client_new ();
  g_autoptr (GArray) ringline_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) raw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) core_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) hop_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cold_hop_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  Client client = { 0 };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || !target || !ctrl_port || !pid)
    g_error ("usage: --target URI --ctrl-port PORT --ringline-pid PID [--calls N] [--media S]");

  client.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (client.bus == NULL)
    g_error ("session bus: %s", error->message);
  client.states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_dbus_connection_signal_subscribe (client.bus, BUS_NAME, PHONE_IFACE, "CallStateChanged",
                                      PHONE_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_state_changed,
                                      &client, NULL);
  client.ctrl = g_socket_client_connect_to_host (connector, "127.0.0.1", ctrl_port, NULL, &error);
  if (client.ctrl == NULL)
    g_error ("ctrl_tcp: %s", error->message);
  client.ctrl_codec = rl_ctrl_codec_new (RL_CTRL_MAX_FRAME);
  if (server)
    start_core (&client, server);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rss");
  json_builder_begin_object (b);
  for (int i = 0; i < calls; i++)
    {
      double r = ringline_call (&client, target, media);
      double x = raw_call (&client, target, media);

      g_array_append_val (ringline_ms, r);
      g_array_append_val (raw_ms, x);
      if (client.core)
        {
          double c = core_call (&client, target, media);
          g_array_append_val (core_ms, c);
        }
      if (i % 10 == 9 || i == calls - 1)
        {
          double h;

          sleep_in_loop (media);
          h = dbus_round_trip (&client);
          g_array_append_val (cold_hop_ms, h);
        }
      if (i == 0)
        add_rss (b, "after_call_1", pid);
      if ((i + 1) % 20 == 0)
        g_printerr ("bench: %d/%d calls\n", i + 1, calls);
    }
  {
    g_autofree char *last = g_strdup_printf ("after_call_%d", calls);
    add_rss (b, last, pid);
  }
  json_builder_end_object (b);
  for (int i = 0; i < calls; i++)
    {
      double h = dbus_round_trip (&client);
      g_array_append_val (hop_ms, h);
    }
  add_series (b, "ringline_ms", ringline_ms);
  add_series (b, "baresip_ms", raw_ms);
  add_series (b, "core_ms", core_ms);
  add_series (b, "dbus_roundtrip_ms", hop_ms);
  add_series (b, "dbus_roundtrip_cold_ms", cold_hop_ms);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, TRUE);
  g_print ("%s\n", json);
  if (client.core)
    stop_core (&client);
  rl_ctrl_codec_free (client.ctrl_codec);
  g_hash_table_unref (client.states);
  g_object_unref (client.ctrl);
  g_object_unref (client.bus);
  return 0;
}
