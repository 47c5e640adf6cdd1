/* test-phone.c: the engine and the phone against the real lab (kamailio,
 * baresip bots, sipp), in process, no D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "rl-baresip-private.h"
#include "rl-engine.h"
#include "rl-error.h"
#include "rl-phone.h"
#include "rl-test-phone.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

static RlTestLab *lab;
static GString *log_text; /* everything logged, debug included */

static GLogWriterOutput
capture_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

typedef RlTestPhone Fixture;

static gboolean
reg_failed (gpointer data)
{
  return rl_phone_get_registration_state (((Fixture *) data)->phone) == RL_REGISTRATION_FAILED;
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

static void
test_config_has_no_password (Fixture *f, gconstpointer data)
{
  const char *password = rl_test_lab_password (lab, 0);
  const char *dir = rl_baresip_get_config_dir (f->engine);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *cmdline = NULL;
  g_autofree char *environ_path = NULL;
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  GStatBuf st;
  const char *name;

  rl_test_phone_sign_in (f, 0);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_false (file_contains (path, password));
    }
  g_assert_true (file_contains (config, "ctrl_tcp_listen 127.0.0.1:"));
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  cmdline = g_strdup_printf ("/proc/%u/cmdline", rl_baresip_get_pid (f->engine));
  environ_path = g_strdup_printf ("/proc/%u/environ", rl_baresip_get_pid (f->engine));
  g_assert_true (g_file_test (cmdline, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (cmdline, password));
  g_assert_false (file_contains (environ_path, password));
  g_assert_cmpstr (rl_engine_get_version (RL_ENGINE (f->engine)), !=, NULL);
  /* A crash of the engine leaves no core file with the password in it. */
  {
    g_autofree char *limits_path
      = g_strdup_printf ("/proc/%u/limits", rl_baresip_get_pid (f->engine));
    g_autofree char *limits = NULL;
    g_autoptr (GRegex) no_core
      = g_regex_new ("^Max core file size +0 +0 ", G_REGEX_MULTILINE, 0, NULL);

    g_assert_true (g_file_get_contents (limits_path, &limits, NULL, NULL));
    g_assert_true (g_regex_match (no_core, limits, 0, NULL));
  }
}

static void
test_register_wrong_password (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 1, "not-the-password");
  g_autoptr (GError) error = NULL;

  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (reg_failed, f, 10));
  g_assert_nonnull (strstr (rl_phone_get_registration_error (f->phone), "401"));
  g_assert_nonnull (strstr (rl_phone_get_registration_error (f->phone), "password"));
  g_assert_null (rl_phone_dial (f->phone, "6000", NULL, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_NOT_REGISTERED);
}

/* A display name with what SIP quoting must carry (a semicolon, an
 * apostrophe, a trailing backslash) registers as any other; quotes and
 * brackets are refused before anything reaches the engine. Either way the
 * password is in no error and no log line. */
static void
test_awkward_display_name (Fixture *f, gconstpointer data)
{
  g_autoptr (GVariant) settings = g_variant_ref_sink (rl_test_lab_account_settings_with (
    lab, 0, g_variant_new_parsed ("{'display_name': <%s>}", "Zo\u00eb; O'Brien \\")));
  g_autoptr (GVariant) quoted = g_variant_ref_sink (rl_test_lab_account_settings_with (
    lab, 0, g_variant_new_parsed ("{'display_name': <%s>}", "Agent \"Zo\u00eb\"")));
  g_autoptr (GError) error = NULL;
  g_autoptr (RlAccount) account = rl_account_new_from_variant (settings, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (rl_account_get_display_name (account), "\\"));
  g_assert_null (rl_account_new_from_variant (quoted, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, f->phone, 15));
  g_assert_null (strstr (log_text->str, rl_test_lab_password (lab, 0)));
}

typedef struct
{
  const char *log;
  const char *line;
  guint want;
} LogCount;

static guint
count_lines (const char *log, const char *line)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return 0;
  for (const char *p = text; (p = strstr (p, line)); p++)
    n++;
  return n;
}

static gboolean
log_has_lines (gpointer data)
{
  LogCount *c = data;

  return count_lines (c->log, c->line) >= c->want;
}

/* A registered UDP account keeps its NAT mapping open: an OPTIONS to its
 * server every keepalive_interval seconds, as the registrar sees them. */
static void
test_keepalive (Fixture *f, gconstpointer data)
{
  g_autoptr (GVariant) settings = g_variant_ref_sink (rl_test_lab_account_settings_with (
    lab, 0, g_variant_new_parsed ("{'keepalive_interval': <uint32 1>}")));
  g_autoptr (RlAccount) account = rl_account_new_from_variant (settings, NULL);
  g_autofree char *log = g_build_filename (rl_test_lab_dir (lab), "kamailio.log", NULL);
  g_autofree char *line = g_strdup_printf ("keep-alive from %s ", rl_test_lab_agent (lab, 0));
  /* Each may be challenged once: two lines. */
  LogCount count = { log, line, count_lines (log, line) + 4 };

  g_assert_true (g_file_test (log, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (rl_account_get_keepalive_interval (account), ==, 1);
  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, f->phone, 15));
  g_assert_true (rl_test_wait (log_has_lines, &count, 10));
}

static void
test_call_echo (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  g_autoptr (GVariant) options
    = g_variant_ref_sink (g_variant_parse (NULL, "{'order_id': <'A1'>}", NULL, NULL, NULL));
  RlCall *call;
  const char *s;
  guint32 duration = 0, total = 0, wait = 0;

  rl_test_phone_sign_in (f, 0);
  call = rl_phone_dial (f->phone, rl_test_lab_extension (lab, "echo"), options, &error);
  g_assert_no_error (error);
  g_object_ref (call);
  rl_test_phone_wait_state (f, call, "calling");
  rl_test_phone_wait_state (f, call, "accepted");
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (f->phone)), ==, 1);
  rl_test_sleep (1100);
  g_assert_true (rl_phone_hangup (f->phone, call, &error));
  rl_test_phone_wait_state (f, call, "terminated");

  details = g_variant_ref_sink (rl_call_build_details (call));
  g_assert_true (g_variant_lookup (details, "reason", "&s", &s));
  g_assert_cmpstr (s, ==, "local-hangup");
  g_assert_true (g_variant_lookup (details, "from", "&s", &s));
  g_assert_cmpstr (s, ==, rl_test_lab_agent (lab, 0));
  g_assert_true (g_variant_lookup (details, "to", "&s", &s));
  g_assert_cmpstr (s, ==, rl_test_lab_extension (lab, "echo"));
  g_assert_true (g_variant_lookup (details, "direction", "&s", &s));
  g_assert_cmpstr (s, ==, "outbound");
  g_assert_true (g_variant_lookup (details, "status", "&s", &s));
  g_assert_cmpstr (s, ==, "answered");
  g_assert_true (g_variant_lookup (details, "date", "&s", &s));
  g_assert_true (g_str_has_suffix (s, "Z"));
  g_assert_true (g_variant_lookup (details, "duration", "u", &duration));
  g_assert_true (g_variant_lookup (details, "wait", "u", &wait));
  g_assert_true (g_variant_lookup (details, "total", "u", &total));
  g_assert_cmpuint (duration, >=, 1);
  g_assert_cmpuint (total, >=, duration);
  g_assert_cmpuint (total, ==, duration + wait);
  g_assert_true (g_variant_lookup (details, "options", "@a{sv}", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (f->phone)), ==, 0);
  g_object_unref (call);
}

static void
test_call_busy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RlCall *call;

  rl_test_phone_sign_in (f, 0);
  call = g_object_ref (rl_phone_dial (f->phone, rl_test_lab_extension (lab, "busy"), NULL, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_BUSY);
  g_assert_cmpuint (rl_call_get_end_code (call), ==, 486);
  g_object_unref (call);
}

static void
test_call_incoming_remote_hangup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RlCall *call;

  rl_test_phone_sign_in (f, 2);
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 2));
  g_assert_true (rl_test_wait (rl_test_phone_rings, f->phone, 10));
  call = g_object_ref (rl_phone_get_current_call (f->phone));
  g_assert_cmpint (rl_call_get_direction (call), ==, RL_CALL_DIRECTION_INBOUND);
  g_assert_cmpstr (rl_call_get_remote_number (call), ==, rl_test_lab_extension (lab, "caller"));
  g_assert_true (rl_phone_answer (f->phone, call, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "accepted");
  rl_test_lab_caller_hangup (lab);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_REMOTE_HANGUP);
  g_object_unref (call);
}

static gboolean
restarted (gpointer data)
{
  Fixture *f = data;

  return rl_test_phone_is_registered (f->phone)
         && rl_engine_get_state (RL_ENGINE (f->engine)) == RL_ENGINE_STATE_RUNNING
         && rl_baresip_get_pid (f->engine)
              != GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->engine), "old-pid"));
}

static void
test_restart_after_kill (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint pid;
  RlCall *call;

  call = rl_test_phone_dial_echo (f, 0);
  pid = rl_baresip_get_pid (f->engine);
  g_object_set_data (G_OBJECT (f->engine), "old-pid", GUINT_TO_POINTER (pid));
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_NETWORK);
  g_assert_true (rl_test_wait (restarted, f, 20));
  g_object_unref (call);

  /* And it works as before. */
  call = g_object_ref (rl_phone_dial (f->phone, rl_test_lab_extension (lab, "echo"), NULL, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "accepted");
  rl_test_phone_hang_up (f, call);
}

/* Warnings the engine must log, checked in the captured log afterwards: an
 * expected message would make every other line of its domain fatal. */
static GLogLevelFlags
allow_warnings (void)
{
  g_string_truncate (log_text, 0);
  return g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
}

static void
assert_logged (GLogLevelFlags fatal, const char *needle)
{
  g_log_set_always_fatal (fatal);
  g_assert_nonnull (strstr (log_text->str, needle));
}

/* A local process that binds the control port before baresip does is sent
 * nothing, not even a greeting, and the engine comes up on another port. */
typedef struct
{
  guint accepted;
  gsize received;
  guint8 buffer[256];
} Squatter;

static void
on_squatter_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GInputStream) in = G_INPUT_STREAM (source);
  Squatter *squatter = user_data;
  gssize got = g_input_stream_read_finish (in, result, NULL);

  if (got <= 0)
    return;
  squatter->received += got;
  g_input_stream_read_async (in, squatter->buffer, sizeof squatter->buffer, G_PRIORITY_DEFAULT,
                             NULL, on_squatter_read, g_object_ref (in));
}

static gboolean
on_squatter_connection (GSocketService *service, GSocketConnection *connection,
                        GObject *source_object, gpointer user_data)
{
  Squatter *squatter = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  squatter->accepted++;
  g_object_set_data_full (G_OBJECT (in), "connection", g_object_ref (connection), g_object_unref);
  g_input_stream_read_async (in, squatter->buffer, sizeof squatter->buffer, G_PRIORITY_DEFAULT,
                             NULL, on_squatter_read, g_object_ref (in));
  return TRUE;
}

static gboolean
running_elsewhere (gpointer data)
{
  Fixture *f = data;
  guint16 squatted = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->engine), "squatted"));

  return restarted (f) && _rl_baresip_get_ctrl_port (f->engine) != squatted;
}

static void
test_ctrl_port_squatter (Fixture *f, gconstpointer data)
{
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  Squatter squatter = { 0 };
  GLogLevelFlags fatal;
  guint16 port;

  rl_test_phone_sign_in (f, 0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_squatter_connection), &squatter);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_set_data (G_OBJECT (f->engine), "squatted", GUINT_TO_POINTER (port));
  g_object_set_data (G_OBJECT (f->engine), "old-pid",
                     GUINT_TO_POINTER (rl_baresip_get_pid (f->engine)));
  _rl_baresip_set_next_ctrl_port (f->engine, port);
  fatal = allow_warnings ();
  rl_baresip_restart (f->engine, "a test squats on the next control port");
  g_assert_true (rl_test_wait (running_elsewhere, f, 20));
  assert_logged (fatal, "holds the call engine's control port");
  g_assert_cmpuint (squatter.accepted, >=, 1);
  g_assert_cmpuint (squatter.received, ==, 0);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

/* ctrl_tcp serves one client and a new one replaces the old: another local
 * process connecting mid-call could then drive the engine. The run ends
 * (its calls with reason network, baresip sending their BYEs) and a new one
 * comes up on a fresh port. */
static void
test_ctrl_takeover (Fixture *f, gconstpointer data)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) intruder = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) call = rl_test_phone_dial_echo (f, 0);
  guint16 port = _rl_baresip_get_ctrl_port (f->engine);
  GLogLevelFlags fatal;
  gint64 start;

  g_object_set_data (G_OBJECT (f->engine), "squatted", GUINT_TO_POINTER (port));
  g_object_set_data (G_OBJECT (f->engine), "old-pid",
                     GUINT_TO_POINTER (rl_baresip_get_pid (f->engine)));
  fatal = allow_warnings ();
  intruder = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_NETWORK);
  g_assert_true (rl_test_wait (running_elsewhere, f, 20));
  g_test_message ("engine back on a fresh port after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  assert_logged (fatal, "took over the call engine's control connection");
}

/* A stopped baresip keeps its socket open and answers nothing: the
 * watchdog notices, ends its calls and starts another. */
static void
test_hung_engine (Fixture *f, gconstpointer data)
{
  g_autoptr (RlCall) call = rl_test_phone_dial_echo (f, 0);
  guint pid = rl_baresip_get_pid (f->engine);
  gint64 start, ended;

  g_object_set_data (G_OBJECT (f->engine), "old-pid", GUINT_TO_POINTER (pid));
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  start = g_get_monotonic_time ();
  rl_test_phone_wait_state (f, call, "terminated");
  ended = g_get_monotonic_time ();
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_NETWORK);
  g_assert_cmpint (ended - start, <=, 6 * G_USEC_PER_SEC);
  g_assert_true (rl_test_wait (restarted, f, 10));
  g_test_message ("hang noticed after %" G_GINT64_FORMAT
                  " ms, registered again after %" G_GINT64_FORMAT " ms",
                  (ended - start) / 1000, (g_get_monotonic_time () - start) / 1000);
  kill (pid, SIGKILL);
}

static void
test_invite_is_exact (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-check-invite.xml", NULL);
  g_autoptr (GError) error = NULL;
  RlCall *call;

  call = g_object_ref (rl_phone_dial (f->phone, "check", NULL, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "accepted");
  rl_phone_hangup (f->phone, call, NULL);
  rl_test_phone_wait_state (f, call, "terminated");
  rl_test_phone_assert_sipp_passed (sipp);
  g_object_unref (call);
}

static void
test_hold_seen_by_peer (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-hold.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  const char *held_by;
  RlCall *call;

  call = g_object_ref (rl_phone_dial (f->phone, "hold", NULL, &error));
  rl_test_phone_wait_state (f, call, "accepted");
  g_assert_true (rl_phone_hold (f->phone, call, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "held");
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_LOCAL);
  details = g_variant_ref_sink (rl_call_build_details (call));
  g_assert_true (g_variant_lookup (details, "held_by", "&s", &held_by));
  g_assert_cmpstr (held_by, ==, "local");
  g_ptr_array_set_size (f->states, 0);
  g_assert_true (rl_phone_resume (f->phone, call, &error));
  rl_test_phone_wait_state (f, call, "accepted");
  g_assert_cmpint (rl_call_get_held_by (call), ==, RL_HELD_BY_NONE);
  rl_phone_hangup (f->phone, call, NULL);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_LOCAL_HANGUP);
  rl_test_phone_assert_sipp_passed (sipp);
  g_object_unref (call);
}

static void
on_dtmf (RlPhone *phone, RlCall *call, const char *key, GString *got)
{
  g_string_append (got, key);
}

static gboolean
got_all_digits (gpointer data)
{
  return ((GString *) data)->len >= 7;
}

/* The echo bot sends back every telephone event it receives. */
static void
test_dtmf_in_order (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) got = g_string_new (NULL);
  RlCall *call;

  call = rl_test_phone_dial_echo (f, 0);
  g_signal_connect (f->phone, "dtmf-received", G_CALLBACK (on_dtmf), got);
  g_assert_false (rl_phone_send_dtmf (f->phone, call, "12x", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rl_phone_send_dtmf (f->phone, call, "", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (rl_phone_send_dtmf (f->phone, call, "159", &error));
  g_assert_true (rl_phone_send_dtmf (f->phone, call, "#*ad", &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (got_all_digits, got, 10));
  g_assert_cmpstr (got->str, ==, "159#*AD");
  g_signal_handlers_disconnect_by_data (f->phone, got);
  rl_test_phone_hang_up (f, call);
  /* Keyed-in digits (PINs, card numbers) stay out of the log, both ways. */
  g_assert_null (strstr (log_text->str, "sndcode 1"));
  g_assert_null (strstr (log_text->str, "digit: '5'"));
  g_assert_null (strstr (log_text->str, "DTMF event: '9'"));
}

static gboolean
got_two_digits (gpointer data)
{
  return ((GString *) data)->len >= 2;
}

/* A tel: link's extension and post-dial digits (RFC 3966, 4715) go out as
 * DTMF once the call is answered, a 'p' a one-second pause between them;
 * the echo bot sends them back. */
static void
test_link_post_dial (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) sent = g_string_new (NULL);
  g_autoptr (GString) got = g_string_new (NULL);
  g_autofree char *link
    = g_strdup_printf ("tel:%s;ext=4;postd=p2", rl_test_lab_extension (lab, "echo"));
  RlCall *call;
  gint64 start;

  rl_test_phone_sign_in (f, 0);
  g_signal_connect (f->phone, "dtmf-sent", G_CALLBACK (on_dtmf), sent);
  g_signal_connect (f->phone, "dtmf-received", G_CALLBACK (on_dtmf), got);
  call = g_object_ref (rl_phone_dial (f->phone, link, NULL, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "accepted");
  start = g_get_monotonic_time ();
  g_assert_true (rl_test_wait (got_two_digits, sent, 10));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpstr (sent->str, ==, "42");
  g_assert_true (rl_test_wait (got_two_digits, got, 10));
  g_assert_cmpstr (got->str, ==, "42");
  g_signal_handlers_disconnect_by_data (f->phone, sent);
  g_signal_handlers_disconnect_by_data (f->phone, got);
  rl_test_phone_hang_up (f, call);
}

static void
test_mute (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RlCall *call;

  rl_test_phone_sign_in (f, 0);
  call = g_object_ref (rl_phone_dial (f->phone, rl_test_lab_extension (lab, "echo"), NULL, &error));
  g_assert_false (rl_phone_set_muted (f->phone, call, TRUE, &error)); /* not answered yet */
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_STATE);
  g_clear_error (&error);
  rl_test_phone_wait_state (f, call, "accepted");
  g_assert_true (rl_phone_set_muted (f->phone, call, TRUE, &error));
  g_assert_true (rl_test_wait (rl_test_call_is_muted, call, 5));
  /* Asking twice does not toggle back: baresip's mute is a toggle, ours is not. */
  g_assert_true (rl_phone_set_muted (f->phone, call, TRUE, &error));
  rl_test_sleep (300);
  g_assert_true (rl_call_get_muted (call));
  g_assert_true (rl_phone_set_muted (f->phone, call, FALSE, &error));
  g_assert_true (rl_test_wait (rl_test_call_is_unmuted, call, 5));
  rl_test_phone_hang_up (f, call);
}

static void
test_decline (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RlCall *call;

  rl_test_phone_sign_in (f, 2);
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 2));
  g_assert_true (rl_test_wait (rl_test_phone_rings, f->phone, 10));
  call = g_object_ref (rl_phone_get_current_call (f->phone));
  g_assert_true (rl_phone_decline (f->phone, call, &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_DECLINED);
  g_object_unref (call);
}

typedef struct
{
  gboolean seen;
  gboolean ok;
} TransferResult;

static void
on_transfer_result (RlPhone *phone, RlCall *call, gboolean ok, const char *detail,
                    TransferResult *r)
{
  r->seen = TRUE;
  r->ok = ok;
}

static gboolean
transfer_reported (gpointer data)
{
  return ((TransferResult *) data)->seen;
}

/* Agent 1003 answers the caller bot and transfers it to agent 1002: the
 * caller follows the REFER and 1002's phone rings. */
static void
test_blind_transfer (Fixture *f, gconstpointer data)
{
  g_autoptr (RlBaresip) engine_b = rl_baresip_new ();
  g_autoptr (RlPhone) phone_b = rl_phone_new (RL_ENGINE (engine_b));
  g_autoptr (RlAccount) account_b = rl_test_lab_account (lab, 1, NULL);
  g_autoptr (GError) error = NULL;
  TransferResult result = { 0 };
  RlCall *call, *ringing;

  rl_baresip_set_listen_address (engine_b, "127.0.0.1");
  rl_baresip_start (engine_b);
  rl_phone_set_account (phone_b, account_b);
  rl_test_phone_sign_in (f, 2);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, phone_b, 10));
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 2));
  g_assert_true (rl_test_wait (rl_test_phone_rings, f->phone, 10));
  call = g_object_ref (rl_phone_get_current_call (f->phone));
  g_assert_true (rl_phone_answer (f->phone, call, &error));
  rl_test_phone_wait_state (f, call, "accepted");
  g_signal_connect (f->phone, "transfer-result", G_CALLBACK (on_transfer_result), &result);
  g_assert_false (rl_phone_transfer (f->phone, call, "no spaces allowed!", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (rl_phone_transfer (f->phone, call, rl_test_lab_agent (lab, 1), &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (rl_test_phone_rings, phone_b, 15));
  ringing = rl_phone_get_current_call (phone_b);
  g_assert_cmpstr (rl_call_get_remote_number (ringing), ==, rl_test_lab_extension (lab, "caller"));
  /* baresip reports the transfer done when the target answers (NOTIFY 200). */
  g_assert_true (rl_phone_answer (phone_b, ringing, &error));
  g_assert_true (rl_test_wait (transfer_reported, &result, 15));
  g_assert_true (result.ok);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_TRANSFERRED);
  rl_phone_hangup (phone_b, ringing, NULL);
  g_signal_handlers_disconnect_by_data (f->phone, &result);
  rl_baresip_stop (engine_b);
  g_object_unref (call);
}

/* The packets coturn relayed from peers, by the allocations closed in @log. */
static guint64
relayed_packets (const char *log)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  guint64 packets = 0;

  for (guint i = 0; lines[i]; i++)
    {
      const char *rp = strstr (lines[i], "peer usage:") ? strstr (lines[i], " rp=") : NULL;

      if (rp)
        packets += g_ascii_strtoull (rp + 4, NULL, 10);
    }
  return packets;
}

typedef struct
{
  gsize from; /* what the log held before the call */
} TurnLog;

static gboolean
relayed_since (gpointer data)
{
  TurnLog *w = data;
  g_autofree char *log = rl_test_lab_turn_log (lab);

  return strlen (log) > w->from && relayed_packets (log + w->from) > 20;
}

/* Agent 1001 with @settings (an a{sv}, floating) on top of the lab's:
 * checked, set, and registered. */
static void
sign_in_with (Fixture *f, GVariant *settings)
{
  g_autoptr (GVariant) all
    = g_variant_ref_sink (rl_test_lab_account_settings_with (lab, 0, settings));
  g_autoptr (GError) error = NULL;
  g_autoptr (RlAccount) account = rl_account_new_from_variant (all, &error);

  g_assert_no_error (error);
  g_assert_true (rl_phone_check_account (f->phone, account, &error));
  g_assert_no_error (error);
  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, f->phone, 10));
}

/* A call to the echo bot with the lab's coturn in the account: the media
 * goes through a relay allocation, and coturn counts the packets. */
static void
call_through_turn (Fixture *f, gboolean ice)
{
  GVariant *turn = rl_test_lab_turn_settings (lab, ice);
  g_autofree char *before = NULL;
  g_autofree char *log = NULL;
  TurnLog w;
  RlCall *call;

  if (turn == NULL)
    {
      g_test_skip ("coturn is not installed (./dev test installs it)");
      return;
    }
  before = rl_test_lab_turn_log (lab);
  w.from = strlen (before);
  sign_in_with (f, turn);
  call = rl_test_phone_dial_answered (f, rl_test_lab_extension (lab, "echo"));
  rl_test_sleep (1500);
  rl_test_phone_hang_up (f, call);
  if (!rl_test_wait (relayed_since, &w, 15))
    {
      log = rl_test_lab_turn_log (lab);
      g_error ("coturn relayed nothing for the call:\n%s", log + w.from);
    }
  log = rl_test_lab_turn_log (lab);
  g_assert_nonnull (strstr (log + w.from, "ALLOCATE processed, success"));
}

/* With ICE and the lab's TURN server, the offer lists server-reflexive and
 * relayed candidates (sipp checks the SDP). */
static void
test_ice_offer (Fixture *f, gconstpointer data)
{
  GVariant *turn = rl_test_lab_turn_settings (lab, TRUE);
  g_autoptr (GSubprocess) sipp = NULL;
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (RlAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *server = NULL;
  GVariantDict d;
  RlCall *call;

  if (turn == NULL)
    {
      g_test_skip ("coturn is not installed (./dev test installs it)");
      return;
    }
  sipp = rl_test_phone_start_sipp_peer (f, "uas-check-ice.xml", NULL);
  server = g_strdup (rl_account_get_servers (rl_phone_get_account (f->phone))[0]);
  g_variant_dict_init (&d, g_variant_ref_sink (turn));
  g_variant_unref (turn);
  g_variant_dict_insert_value (&d, "servers",
                               g_variant_new_strv ((const char *const[]){ server }, 1));
  g_variant_dict_insert (&d, "username", "s", "1001");
  g_variant_dict_insert (&d, "register", "b", FALSE);
  settings = g_variant_ref_sink (g_variant_dict_end (&d));
  account = rl_account_new_from_variant (settings, &error);
  g_assert_no_error (error);
  rl_phone_set_account (f->phone, account);
  rl_test_sleep (200);
  call = rl_phone_dial (f->phone, "ice", NULL, &error);
  g_assert_no_error (error);
  g_object_ref (call);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_DECLINED);
  g_object_unref (call);
  rl_test_phone_assert_sipp_passed (sipp);
}

static void
test_media_via_turn (Fixture *f, gconstpointer data)
{
  call_through_turn (f, FALSE);
}

static void
test_media_via_ice (Fixture *f, gconstpointer data)
{
  call_through_turn (f, TRUE);
}

static gboolean
registration_failed (gpointer phone)
{
  return rl_phone_get_registration_state (phone) == RL_REGISTRATION_FAILED;
}

/* SIP over TLS to the lab's registrar. @trusted: with the lab's CA file.
 * Returns: the account, or NULL when this engine refuses TLS (checked here) */
static RlAccount *
tls_account (Fixture *f, gboolean trusted)
{
  GVariant *settings = rl_test_lab_tls_settings (lab, 0, trusted);
  g_autoptr (RlAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  if (settings == NULL)
    {
      g_test_skip ("kamailio has no TLS module (./dev test installs kamailio-tls-modules)");
      return NULL;
    }
  account = rl_account_new_from_variant (g_variant_ref_sink (settings), &error);
  g_variant_unref (settings);
  g_assert_no_error (error);
  if (rl_engine_get_features (RL_ENGINE (f->engine)) & RL_ENGINE_FEATURE_TLS_VERIFY)
    {
      g_assert_true (rl_phone_check_account (f->phone, account, &error));
      rl_baresip_set_tls_ca_file (f->engine, rl_account_get_tls_ca_file (account));
      if (rl_baresip_restart_if_stale (f->engine))
        g_assert_true (rl_test_wait (rl_test_engine_is_running, f->engine, 10));
      return g_steal_pointer (&account);
    }
  /* baresip 1.0 would not check the certificate: refused, before and
   * after SetAccount, and nothing is sent. */
  g_assert_false (rl_phone_check_account (f->phone, account, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "transport: "));
  rl_phone_set_account (f->phone, account);
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_FAILED);
  g_assert_nonnull (strstr (rl_phone_get_registration_error (f->phone), "certificate"));
  return NULL;
}

/* With the PBX's CA file the account registers over TLS and calls. */
static void
test_tls_trusted (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = tls_account (f, TRUE);

  if (account == NULL)
    return;
  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, f->phone, 10));
  rl_test_phone_hang_up (f, rl_test_phone_dial_answered (f, rl_test_lab_extension (lab, "echo")));
}

/* Without it the lab's certificate comes from no authority the system
 * trusts: registration fails, and says why. */
static void
test_tls_untrusted (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = tls_account (f, FALSE);

  if (account == NULL)
    return;
  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (registration_failed, f->phone, 10));
  g_assert_nonnull (strstr (rl_phone_get_registration_error (f->phone), "certificate not trusted"));
}

/* Agent 1001 with @encryption as its media_encryption. */
static void
sign_in_encrypted (Fixture *f, const char *encryption)
{
  sign_in_with (f, g_variant_new_parsed ("{'media_encryption': <%s>}", encryption));
}

/* Mandatory SRTP to the lab's echo that takes nothing else: the call
 * carries audio, encrypted (the echo says so); to a peer without SRTP the
 * call is refused and ends saying why. Optional SRTP (SDES, offered on
 * RTP/AVP) still reaches a peer without it. No key reaches the log. */
static void
test_srtp (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;
  RlCall *call;

  sign_in_encrypted (f, "srtp-mandatory");
  call = rl_test_phone_dial_answered (f, rl_test_lab_extension (lab, "secure"));
  rl_test_sleep (500);
  debug = rl_test_lab_bot (lab, "secure", "audio_debug", "");
  g_assert_nonnull (strstr (debug, "secure=yes"));
  rl_test_phone_hang_up (f, call);

  call = rl_phone_dial (f->phone, rl_test_lab_extension (lab, "echo"), NULL, &error);
  g_assert_no_error (error);
  g_object_ref (call);
  rl_test_phone_wait_state (f, call, "terminated");
  g_assert_cmpint (rl_call_get_end_reason (call), ==, RL_END_REJECTED);
  g_assert_cmpuint (rl_call_get_end_code (call), ==, 488);
  g_object_unref (call);

  sign_in_encrypted (f, "srtp");
  rl_test_phone_hang_up (f, rl_test_phone_dial_answered (f, rl_test_lab_extension (lab, "echo")));
  g_assert_null (strstr (log_text->str, "inline:"));
}

/* SRTP keyed by DTLS (RFC 5764) with an echo that takes nothing else: the
 * call is answered and its media is encrypted at the far end. */
static void
test_dtls_srtp (Fixture *f, gconstpointer data)
{
  g_autofree char *debug = NULL;
  RlCall *call;

  sign_in_encrypted (f, "dtls-srtp");
  call = rl_test_phone_dial_answered (f, rl_test_lab_extension (lab, "dtls"));
  rl_test_sleep (1500);
  debug = rl_test_lab_bot (lab, "dtls", "audio_debug", "");
  g_test_message ("%s", debug);
  g_assert_nonnull (strstr (debug, "secure=yes"));
  rl_test_phone_hang_up (f, call);
}

/* Runs last: whatever the tests above did, no password was logged. */
static void
test_no_password_in_logs (void)
{
  g_assert_cmpuint (log_text->len, >, 1000);
  g_assert_nonnull (strstr (log_text->str, "uanew"));
  for (guint i = 0; i < 3; i++)
    g_assert_null (strstr (log_text->str, rl_test_lab_password (lab, i)));
  g_assert_null (strstr (log_text->str, "lab-secret"));
  g_assert_null (strstr (log_text->str, "auth_pass"));
}

static void
test_missing_binary (void)
{
  g_autoptr (RlBaresip) engine = NULL;
  g_autoptr (RlPhone) phone = NULL;
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  g_autoptr (GError) error = NULL;

  g_setenv ("RINGLINE_BARESIP", "/nonexistent/baresip", TRUE);
  engine = rl_baresip_new ();
  g_unsetenv ("RINGLINE_BARESIP");
  phone = rl_phone_new (RL_ENGINE (engine));
  g_test_expect_message ("RlBaresip", G_LOG_LEVEL_WARNING, "*baresip is not installed*");
  rl_baresip_start (engine);
  g_test_assert_expected_messages ();
  g_assert_cmpint (rl_engine_get_state (RL_ENGINE (engine)), ==, RL_ENGINE_STATE_MISSING);
  g_assert_nonnull (strstr (rl_engine_get_error (RL_ENGINE (engine)), "not installed"));
  rl_phone_set_account (phone, account);
  g_assert_null (rl_phone_dial (phone, "6000", NULL, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_false (rl_phone_register (phone, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE);
  rl_baresip_stop (engine);
}

/* The control connection carries nothing for long stretches when no call
 * is up: quiet is not a failure, and baresip must not be restarted. */
static void
test_idle_connection_stays (Fixture *f, gconstpointer data)
{
  guint pid = rl_baresip_get_pid (f->engine);

  rl_test_phone_sign_in (f, 0);
  rl_test_sleep (7000);
  g_assert_cmpint (rl_engine_get_state (RL_ENGINE (f->engine)), ==, RL_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (rl_baresip_get_pid (f->engine), ==, pid);
  g_assert_cmpint (rl_phone_get_registration_state (f->phone), ==, RL_REGISTRATION_REGISTERED);
}

static GVariant *
dial_headers (void)
{
  return g_variant_new_parsed ("{'headers': <{'X-Engagement-Id': 'eng-4711',"
                               " 'X-Order-Id': 'A 19/7 + 50%',"
                               " 'User-to-User': '0462c3a9;encoding=hex'}>}");
}

/* The "headers" dial option reaches the INVITE on an engine that can add
 * headers; 1.0 cannot, and says so before anything is sent. Names that are
 * not X- headers or User-to-User, and values with line breaks, are refused
 * whatever the engine. */
static void
test_dial_headers (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-check-headers.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  g_autoptr (GVariant) sent = NULL;
  const char *bad[]
    = { "{'headers': <{'Via': 'SIP/2.0/UDP evil'}>}", "{'headers': <{'X-Bad Name': 'a'}>}",
        "{'headers': <{'X-Inject': 'a\r\nVia: evil'}>}", "{'headers': <['X-Not-A-Dict']>}" };
  RlCall *call;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (rl_phone_dial (f->phone, "check", g_variant_new_parsed (bad[i]), &error));
      g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (f->phone)), ==, 0);
  if (!(rl_engine_get_features (RL_ENGINE (f->engine)) & RL_ENGINE_FEATURE_CALL_HEADERS))
    {
      g_assert_null (rl_phone_dial (f->phone, "check", dial_headers (), &error));
      g_assert_error (error, RL_ERROR, RL_ERROR_NOT_SUPPORTED);
      g_subprocess_force_exit (sipp);
      g_test_message ("baresip %s cannot add headers: refused as expected",
                      rl_engine_get_version (RL_ENGINE (f->engine)));
      return;
    }
  call = g_object_ref (rl_phone_dial (f->phone, "check", dial_headers (), &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "accepted");
  details = g_variant_ref_sink (rl_call_build_details (call));
  sent = g_variant_lookup_value (details, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (sent);
  g_assert_cmpuint (g_variant_n_children (sent), ==, 3);
  rl_phone_hangup (f->phone, call, NULL);
  rl_test_phone_wait_state (f, call, "terminated");
  rl_test_phone_assert_sipp_passed (sipp);
  g_object_unref (call);
}

/* A caller ID chosen per call reaches the far end in the header the
 * account names (identity_header); 1.0 cannot send one and says so. */
static void
test_dial_caller_id (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) sipp = rl_test_phone_start_sipp_peer (f, "uas-check-identity.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (RlAccount) account = NULL;
  GVariantDict dict;
  const char *options = "{'caller_id': <'+15550100'>, 'caller_id_name': <'Sales Line'>}";
  RlCall *call;

  g_variant_dict_init (&dict, rl_account_to_variant (rl_phone_get_account (f->phone)));
  g_variant_dict_insert (&dict, "password", "s", "lab-secret");
  g_variant_dict_insert (&dict, "identity_header", "s", "p-preferred-identity");
  settings = g_variant_ref_sink (g_variant_dict_end (&dict));
  account = rl_account_new_from_variant (settings, &error);
  g_assert_no_error (error);
  rl_phone_set_account (f->phone, account);
  rl_test_sleep (200);

  g_assert_null (rl_phone_dial (f->phone, "check",
                                g_variant_new_parsed ("{'caller_id': <'555 0100'>}"), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (rl_phone_dial (f->phone, "check",
                                g_variant_new_parsed ("{'caller_id_name': <'A \"B\"'>}"), &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  if (!(rl_engine_get_features (RL_ENGINE (f->engine)) & RL_ENGINE_FEATURE_CALL_HEADERS))
    {
      g_assert_null (rl_phone_dial (f->phone, "check", g_variant_new_parsed (options), &error));
      g_assert_error (error, RL_ERROR, RL_ERROR_NOT_SUPPORTED);
      g_subprocess_force_exit (sipp);
      return;
    }
  call = g_object_ref (rl_phone_dial (f->phone, "check", g_variant_new_parsed (options), &error));
  g_assert_no_error (error);
  rl_test_phone_wait_state (f, call, "accepted");
  rl_phone_hangup (f->phone, call, NULL);
  rl_test_phone_wait_state (f, call, "terminated");
  rl_test_phone_assert_sipp_passed (sipp);
  g_object_unref (call);
}

static const char *
lookup_header (GVariant *headers, const char *name)
{
  const char *value = NULL;

  g_variant_lookup (headers, name, "&s", &value);
  return value;
}

/* A dialer's call through the registrar with screen-pop data and an
 * auto-answer hint: its X- headers and User-to-User are in the call's
 * details, and with auto-answer on it is answered by itself. */
static void
test_offer_headers_auto_answer (Fixture *f, gconstpointer data)
{
  g_autofree char *registrar = g_strdup_printf ("127.0.0.1:%u", rl_test_lab_port (lab));
  const char *args[] = { registrar,
                         "-s",
                         rl_test_lab_agent (lab, 2),
                         "-au",
                         rl_test_lab_agent (lab, 0),
                         "-ap",
                         rl_test_lab_password (lab, 0),
                         "-key",
                         "from",
                         rl_test_lab_agent (lab, 0),
                         NULL };
  g_autoptr (GSubprocess) sipp = NULL;
  g_autoptr (GVariant) details = NULL;
  g_autoptr (GVariant) headers = NULL;
  guint sipp_port = 0;
  RlCall *call;

  rl_test_phone_sign_in (f, 2);
  rl_phone_set_auto_answer (f->phone, TRUE);
  sipp = rl_test_start_sipp ("uac-offer-headers.xml", args, &sipp_port);
  g_assert_true (rl_test_wait (rl_test_phone_rings, f->phone, 10));
  call = g_object_ref (rl_phone_get_current_call (f->phone));
  details = g_variant_ref_sink (rl_call_build_details (call));
  headers = g_variant_lookup_value (details, "headers", G_VARIANT_TYPE ("a{ss}"));
  g_assert_nonnull (headers);
  g_assert_cmpstr (lookup_header (headers, "X-Engagement-Id"), ==, "eng-4711");
  g_assert_cmpstr (lookup_header (headers, "X-Order-Id"), ==, "A 19/7");
  g_assert_cmpstr (lookup_header (headers, "x-campaign"), ==, "spring");
  g_assert_cmpstr (lookup_header (headers, "User-to-User"), ==, "0462c3a9;encoding=hex");
  g_assert_nonnull (lookup_header (headers, "Call-Info"));
  /* Nobody touches it: the hint answers it after at least a second. */
  rl_test_phone_wait_state (f, call, "accepted");
  rl_phone_hangup (f->phone, call, NULL);
  rl_test_phone_wait_state (f, call, "terminated");
  rl_test_phone_assert_sipp_passed (sipp);
  g_object_unref (call);
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  rl_test_setup_env ();
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  lab = rl_test_lab_start ();
  rl_test_phone_lab = lab;
#define ADD(path, func)                                                                            \
  g_test_add (path, Fixture, NULL, rl_test_phone_setup, func, rl_test_phone_teardown)
  ADD ("/phone/config-has-no-password", test_config_has_no_password);
  ADD ("/phone/register-wrong-password", test_register_wrong_password);
  ADD ("/phone/awkward-display-name", test_awkward_display_name);
  ADD ("/phone/keepalive", test_keepalive);
  ADD ("/phone/call-echo", test_call_echo);
  ADD ("/phone/call-busy", test_call_busy);
  ADD ("/phone/call-incoming-remote-hangup", test_call_incoming_remote_hangup);
  ADD ("/phone/restart-after-kill", test_restart_after_kill);
  ADD ("/phone/idle-connection-stays", test_idle_connection_stays);
  ADD ("/phone/ctrl-port-squatter", test_ctrl_port_squatter);
  ADD ("/phone/ctrl-takeover", test_ctrl_takeover);
  ADD ("/phone/hung-engine", test_hung_engine);
  ADD ("/phone/invite-is-exact", test_invite_is_exact);
  ADD ("/phone/dial-headers", test_dial_headers);
  ADD ("/phone/dial-caller-id", test_dial_caller_id);
  ADD ("/phone/offer-headers-auto-answer", test_offer_headers_auto_answer);
  ADD ("/phone/hold-seen-by-peer", test_hold_seen_by_peer);
  ADD ("/phone/dtmf-in-order", test_dtmf_in_order);
  ADD ("/phone/link-post-dial", test_link_post_dial);
  ADD ("/phone/mute", test_mute);
  ADD ("/phone/decline", test_decline);
  ADD ("/phone/blind-transfer", test_blind_transfer);
  ADD ("/phone/media-via-turn", test_media_via_turn);
  ADD ("/phone/media-via-ice", test_media_via_ice);
  ADD ("/phone/ice-offer", test_ice_offer);
  ADD ("/phone/tls-trusted", test_tls_trusted);
  ADD ("/phone/tls-untrusted", test_tls_untrusted);
  ADD ("/phone/srtp", test_srtp);
  ADD ("/phone/dtls-srtp", test_dtls_srtp);
#undef ADD
  g_test_add_func ("/phone/missing-binary", test_missing_binary);
  g_test_add_func ("/phone/no-password-in-logs", test_no_password_in_logs);
  ret = g_test_run ();
  rl_test_lab_stop (lab);
  return ret;
}
