/* rl-test-lab.c
 *
 * Starts tests/lab/rl-lab in a private temporary directory (free ports,
 * fresh passwords) and stops it by PID at the end of the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "rl-test-lab.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

struct _RlTestLab
{
  char *dir;
  JsonObject *lab;
};

/* Runs "rl-lab @action --dir DIR @words..." and returns what it printed. */
static char *
run_lab_words (RlTestLab *lab, const char *action, const char *const *words)
{
  const char *script = g_getenv ("RL_LAB");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  int status = 0;

  g_assert_nonnull (script);
  g_strv_builder_add_many (builder, "/usr/bin/python3", script, action, "--dir", lab->dir, NULL);
  g_strv_builder_addv (builder, (const char **) words);
  argv = g_strv_builder_end (builder);
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                     &error))
    g_error ("cannot run the lab: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("rl-lab %s failed: %s\n%s", action, error->message, err);
  return g_steal_pointer (&out);
}

/* start and stop pass --owner: the lab goes away with this process. */
static char *
run_lab (RlTestLab *lab, const char *action)
{
  g_autofree char *owner = g_strdup_printf ("%d", getpid ());

  return run_lab_words (lab, action, (const char *const[]){ "--owner", owner, NULL });
}

RlTestLab *
rl_test_lab_start (void)
{
  RlTestLab *lab = g_new0 (RlTestLab, 1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autoptr (GError) error = NULL;

  lab->dir = g_dir_make_tmp ("ringline-lab-XXXXXX", &error);
  g_assert_no_error (error);
  json = run_lab (lab, "start");
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  lab->lab = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return lab;
}

void
rl_test_lab_stop (RlTestLab *lab)
{
  g_autofree char *out = NULL;

  if (lab == NULL)
    return;
  out = run_lab (lab, "stop");
  json_object_unref (lab->lab);
  if (g_getenv ("RL_KEEP_LAB") == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", lab->dir);

      g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
    }
  g_free (lab->dir);
  g_free (lab);
}

guint
rl_test_lab_port (RlTestLab *lab)
{
  return json_object_get_int_member (json_object_get_object_member (lab->lab, "registrar"), "port");
}

const char *
rl_test_lab_extension (RlTestLab *lab, const char *bot)
{
  return json_object_get_string_member (json_object_get_object_member (lab->lab, "extensions"),
                                        bot);
}

static JsonObject *
agent (RlTestLab *lab, guint index)
{
  return json_array_get_object_element (json_object_get_array_member (lab->lab, "agents"), index);
}

const char *
rl_test_lab_agent (RlTestLab *lab, guint index)
{
  return json_object_get_string_member (agent (lab, index), "username");
}

const char *
rl_test_lab_password (RlTestLab *lab, guint index)
{
  return json_object_get_string_member (agent (lab, index), "password");
}

const char *
rl_test_lab_dir (RlTestLab *lab)
{
  return lab->dir;
}

/* An a{sv} for SetAccount with the lab's agent @index. */
GVariant *
rl_test_lab_account_settings (RlTestLab *lab, guint index, const char *password)
{
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", rl_test_lab_port (lab));
  const char *servers[] = { server, NULL };
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "servers", g_variant_new_strv (servers, -1));
  g_variant_builder_add (&b, "{sv}", "username",
                         g_variant_new_string (rl_test_lab_agent (lab, index)));
  g_variant_builder_add (
    &b, "{sv}", "password",
    g_variant_new_string (password ? password : rl_test_lab_password (lab, index)));
  g_variant_builder_add (&b, "{sv}", "display_name", g_variant_new_string ("Test Agent"));
  return g_variant_builder_end (&b);
}

/* rl_test_lab_account_settings() with @extra's keys (an a{sv}) on top.
 * Returns: (transfer floating) */
GVariant *
rl_test_lab_account_settings_with (RlTestLab *lab, guint index, GVariant *extra)
{
  g_autoptr (GVariant) base = g_variant_ref_sink (rl_test_lab_account_settings (lab, index, NULL));
  g_autoptr (GVariant) more = g_variant_ref_sink (extra);
  GVariantDict d;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_dict_init (&d, base);
  g_variant_iter_init (&iter, more);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    g_variant_dict_insert_value (&d, key, value);
  return g_variant_dict_end (&d);
}

RlAccount *
rl_test_lab_account (RlTestLab *lab, guint index, const char *password)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) settings
    = g_variant_ref_sink (rl_test_lab_account_settings (lab, index, password));
  RlAccount *account = rl_account_new_from_variant (settings, &error);

  g_assert_no_error (error);
  return account;
}

void
rl_test_lab_call (RlTestLab *lab, const char *extension)
{
  rl_test_lab_call_from (lab, "caller", extension);
}

/* Caller bot @bot ("caller" or "caller2") calls @extension. */
void
rl_test_lab_call_from (RlTestLab *lab, const char *bot, const char *extension)
{
  g_free (run_lab_words (lab, "call", (const char *const[]){ "--from", bot, extension, NULL }));
}

void
rl_test_lab_caller_hangup (RlTestLab *lab)
{
  g_free (run_lab_words (lab, "hangup", (const char *const[]){ NULL }));
}

/* Sends one ctrl_tcp command to a bot; returns its reply text. */
char *
rl_test_lab_bot (RlTestLab *lab, const char *bot, const char *command, const char *params)
{
  return run_lab_words (lab, "bot", (const char *const[]){ bot, command, params, NULL });
}

gboolean
rl_test_wait (gboolean (*done) (gpointer data), gpointer data, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
rl_test_keep_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer slot)
{
  return *(GAsyncResult **) slot != NULL;
}

/* Waits for rl_test_keep_result() to fill @slot; the caller unrefs it. */
GAsyncResult *
rl_test_wait_result (GAsyncResult **slot, guint seconds)
{
  g_assert_true (rl_test_wait (has_result, slot, seconds));
  return *slot;
}

void
rl_test_sleep (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
rl_test_setup_env (void)
{
  /* Tests never touch the user's settings or sound card, and bind loopback. */
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("RINGLINE_AUDIO", "null", TRUE);
  g_setenv ("RINGLINE_SIP_LISTEN", "127.0.0.1", TRUE);
  /* Each test program keeps its own contacts database and caches. */
  {
    g_autofree char *data = g_dir_make_tmp ("ringline-test-data-XXXXXX", NULL);
    g_autofree char *cache = g_dir_make_tmp ("ringline-test-cache-XXXXXX", NULL);

    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
}

/* The desktop's http handler becomes tests/lab/rl-browser, so Ringline opens
 * "the browser" through GIO exactly as it opens a real one. Call it before
 * anything asks GLib for the user's config dir. */
void
rl_test_install_browser (void)
{
  g_autofree char *config = g_dir_make_tmp ("ringline-test-config-XXXXXX", NULL);
  g_autofree char *apps = g_build_filename (g_getenv ("XDG_DATA_HOME"), "applications", NULL);
  g_autofree char *lab_dir = g_path_get_dirname (g_getenv ("RL_LAB"));
  g_autofree char *browser = g_build_filename (lab_dir, "rl-browser", NULL);
  g_autofree char *desktop = g_build_filename (apps, "rl-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test browser\n"
                                            "Exec=/usr/bin/python3 %s %%u\nNoDisplay=true\n"
                                            "MimeType=x-scheme-handler/http;\n",
                                            browser);

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_true (g_file_set_contents (desktop, entry, -1, NULL));
  g_assert_true (g_file_set_contents (
    mimeapps, "[Default Applications]\nx-scheme-handler/http=rl-test-browser.desktop\n", -1, NULL));
}

/* An ended call's record as the phone writes it: an inbound call missed,
 * an outbound one answered and lasting @duration seconds. */
GVariant *
rl_test_call_record (GDateTime *when, const char *id, const char *direction, const char *number,
                     const char *name, guint duration)
{
  g_autofree char *date = g_date_time_format_iso8601 (when);
  gboolean inbound = g_str_equal (direction, "inbound");
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (id));
  g_variant_builder_add (&b, "{sv}", "date", g_variant_new_string (date));
  g_variant_builder_add (&b, "{sv}", "direction", g_variant_new_string (direction));
  g_variant_builder_add (&b, "{sv}", inbound ? "from" : "to", g_variant_new_string (number));
  g_variant_builder_add (&b, "{sv}", "status",
                         g_variant_new_string (inbound ? "missed" : "answered"));
  g_variant_builder_add (&b, "{sv}", "duration", g_variant_new_uint32 (duration));
  if (name)
    g_variant_builder_add (&b, "{sv}", "contact_name", g_variant_new_string (name));
  return g_variant_builder_end (&b);
}

/* Whether a file under @dir (not following linked directories) holds
 * @needle anywhere, binary files included: where secrets must not be. */
gboolean
rl_test_tree_contains (const char *dir, const char *needle)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && rl_test_tree_contains (path, needle))
            return TRUE;
        }
      else if (g_file_get_contents (path, &data, &len, NULL)
               && memmem (data, len, needle, strlen (needle)))
        return TRUE;
    }
  return FALSE;
}

/* A page of the history, as D-Bus GetHistory reads it. */
GVariant *
rl_test_read_history (RlHistory *history, guint offset, guint limit, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_history_get_async (history, offset, limit, NULL, rl_test_keep_result, &result);
  return rl_history_get_finish (history, rl_test_wait_result (&result, 10), error);
}

static gboolean
udp_port_free (guint port)
{
  g_autoptr (GSocket) probe
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, port);

  return g_socket_bind (probe, addr, FALSE, NULL);
}

/* Some process has bound UDP @port, read from the kernel's socket table:
 * probing by binding it would take the port from that process for a moment. */
gboolean
rl_test_udp_port_bound (guint port)
{
  g_autofree char *table = NULL;
  g_autofree char *local = g_strdup_printf (":%04X", port);
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/net/udp", &table, NULL, NULL))
    return FALSE;
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto (GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", 3);

      /* "sl: local_address ...", the address as hex "0100007F:13C4" */
      if (g_strv_length (fields) >= 2 && g_str_has_suffix (fields[1], local))
        return TRUE;
    }
  return FALSE;
}

static guint
kernel_chosen_port (void)
{
  g_autoptr (GSocket) probe
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (probe, any, FALSE, NULL));
  bound = g_socket_get_local_address (probe, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A port to try, a multiple of @step, drawn as the lab draws its own (rl-lab's
 * port_range()): above the baresips' RTP range and below the kernel's ephemeral
 * range. A kernel-chosen port can be handed to any other socket on the machine
 * between the probe and sipp binding it, which makes sipp exit. */
static guint
candidate_port (guint step)
{
  g_autofree char *range = NULL;
  guint64 low = 32768;

  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL))
    low = g_ascii_strtoull (range, NULL, 10);
  if (low < 21000 || low > 65535)
    return kernel_chosen_port () / step * step;
  /* sipp takes four ports from its media port up, all below the range. */
  return 20000 + (guint) g_random_int_range (0, (gint32) ((low - 20000 - 4) / step)) * step;
}

/* A UDP port free on 127.0.0.1 now, as a string for a command line. */
char *
rl_test_free_port (void)
{
  for (guint tries = 0; tries < 200; tries++)
    {
      guint port = candidate_port (1);

      if (udp_port_free (port))
        return g_strdup_printf ("%u", port);
    }
  g_error ("no free UDP port");
}

/* sipp binds four UDP ports from its media port up (audio and video, RTP and RTCP)
 * and exits when one is taken. */
char *
rl_test_free_media_port (void)
{
  for (guint tries = 0; tries < 200; tries++)
    {
      guint port = candidate_port (2);
      gboolean all_free = port + 3 <= 65535;

      for (guint i = 0; all_free && i < 4; i++)
        all_free = udp_port_free (port + i);
      if (all_free)
        return g_strdup_printf ("%u", port);
    }
  g_error ("no four free UDP ports in a row for sipp's media");
}

/* --- the reference backend ------------------------------------------------ */

/* Returns: (nullable): the lab's coturn, when it has one (coturn installed) */
static JsonObject *
turn_object (RlTestLab *lab)
{
  return json_object_has_member (lab->lab, "turn")
           ? json_object_get_object_member (lab->lab, "turn")
           : NULL;
}

/**
 * rl_test_lab_turn_settings:
 * @ice: whether ICE gathers the candidates (else the media goes through the relay)
 *
 * Returns: (transfer none) (nullable): SetAccount's keys for the lab's TURN
 * server, to add to an account's; %NULL when the lab has no coturn
 */
GVariant *
rl_test_lab_turn_settings (RlTestLab *lab, gboolean ice)
{
  JsonObject *turn = turn_object (lab);
  g_autofree char *server = NULL;
  GVariantBuilder b;

  if (turn == NULL)
    return NULL;
  server = g_strdup_printf ("%s:%" G_GINT64_FORMAT, json_object_get_string_member (turn, "host"),
                            json_object_get_int_member (turn, "port"));
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "turn_server", g_variant_new_string (server));
  g_variant_builder_add (&b, "{sv}", "turn_username",
                         g_variant_new_string (json_object_get_string_member (turn, "username")));
  g_variant_builder_add (&b, "{sv}", "turn_password",
                         g_variant_new_string (json_object_get_string_member (turn, "password")));
  g_variant_builder_add (&b, "{sv}", "ice", g_variant_new_boolean (ice));
  return g_variant_builder_end (&b);
}

/**
 * rl_test_lab_tls_settings:
 * @trusted: whether the account names the lab's CA file (else it trusts the
 *   system's authorities, which do not know the lab's)
 *
 * Returns: (transfer floating) (nullable): SetAccount's settings for agent
 * @index over TLS to the lab's registrar; %NULL when the lab has no TLS
 */
GVariant *
rl_test_lab_tls_settings (RlTestLab *lab, guint index, gboolean trusted)
{
  JsonObject *registrar = json_object_get_object_member (lab->lab, "registrar");
  g_autofree char *server = NULL;
  GVariantDict d;

  if (!json_object_has_member (registrar, "tls_port"))
    return NULL;
  server = g_strdup_printf ("127.0.0.1:%" G_GINT64_FORMAT,
                            json_object_get_int_member (registrar, "tls_port"));
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert_value (&d, "servers",
                               g_variant_new_strv ((const char *const[]){ server }, 1));
  /* The address of record stays the registrar's domain (its UDP port). */
  g_variant_dict_insert (&d, "realm", "s", json_object_get_string_member (lab->lab, "domain"));
  g_variant_dict_insert (&d, "transport", "s", "tls");
  if (trusted)
    g_variant_dict_insert (
      &d, "tls_ca_file", "s",
      json_object_get_string_member (json_object_get_object_member (lab->lab, "tls"), "ca"));
  return rl_test_lab_account_settings_with (lab, index, g_variant_dict_end (&d));
}

/* Returns: (transfer full): what coturn has logged so far, "" without one */
char *
rl_test_lab_turn_log (RlTestLab *lab)
{
  JsonObject *turn = turn_object (lab);
  char *text = NULL;

  if (turn == NULL
      || !g_file_get_contents (json_object_get_string_member (turn, "log"), &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static JsonObject *
backend_object (RlTestLab *lab)
{
  return json_object_get_object_member (lab->lab, "backend");
}

const char *
rl_test_lab_backend_url (RlTestLab *lab)
{
  return json_object_get_string_member (backend_object (lab), "url");
}

static JsonObject *
backend_agent (RlTestLab *lab, guint index)
{
  return json_array_get_object_element (
    json_object_get_array_member (backend_object (lab), "agents"), index);
}

const char *
rl_test_lab_backend_email (RlTestLab *lab, guint index)
{
  return json_object_get_string_member (backend_agent (lab, index), "email");
}

const char *
rl_test_lab_backend_password (RlTestLab *lab, guint index)
{
  return json_object_get_string_member (backend_agent (lab, index), "password");
}

/* Sends one request to the backend and returns its JSON reply (tests may
 * block: nothing under test waits on this loop meanwhile). */
JsonNode *
rl_test_lab_backend_request (RlTestLab *lab, const char *method, const char *path,
                             const char *bearer, const char *json_body, guint *status)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (rl_test_lab_backend_url (lab), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (json_body)
    {
      g_autoptr (GBytes) body = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  if (bearer)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status)
    *status = soup_message_get_status (msg);
  if (g_bytes_get_size (reply) == 0
      || !json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                      g_bytes_get_size (reply), NULL))
    return json_node_new (JSON_NODE_NULL);
  return json_node_ref (json_parser_get_root (parser));
}

/* Tells the backend to misbehave on requests under @path: mode 500, 401,
 * garbage, partial, types, huge, slow (delay_ms) or none; @count requests,
 * 0 for all from now on. */
void
rl_test_lab_backend_fault (RlTestLab *lab, const char *path, const char *mode, guint count,
                           guint delay_ms)
{
  rl_test_lab_backend_fault_method (lab, "", path, mode, count, delay_ms);
}

/* As rl_test_lab_backend_fault(), for requests of @method only. */
void
rl_test_lab_backend_fault_method (RlTestLab *lab, const char *method, const char *path,
                                  const char *mode, guint count, guint delay_ms)
{
  g_autofree char *body = g_strdup_printf (
    "{\"method\": \"%s\", \"path\": \"%s\", \"mode\": \"%s\", \"count\": %u, \"delay_ms\": %u}",
    method, path, mode, count, delay_ms);

  json_node_unref (rl_test_lab_backend_request (lab, "POST", "/lab/fault", NULL, body, NULL));
}

/* Every API request under @path answers 307 to @location, once. */
void
rl_test_lab_backend_redirect (RlTestLab *lab, const char *path, const char *location)
{
  g_autofree char *body = g_strdup_printf (
    "{\"path\": \"%s\", \"mode\": \"redirect\", \"count\": 1, \"location\": \"%s\"}", path,
    location);

  json_node_unref (rl_test_lab_backend_request (lab, "POST", "/lab/fault", NULL, body, NULL));
}

gint64
rl_test_lab_backend_stat (RlTestLab *lab, const char *name)
{
  g_autoptr (JsonNode) stats
    = rl_test_lab_backend_request (lab, "POST", "/lab/stats", NULL, NULL, NULL);

  return json_object_get_int_member (json_node_get_object (stats), name);
}

/* Expires every access token the backend gave out, as time would. */
void
rl_test_lab_backend_expire_tokens (RlTestLab *lab)
{
  json_node_unref (rl_test_lab_backend_request (lab, "POST", "/lab/expire", NULL, NULL, NULL));
}

/* The backend's clock jumps @offset seconds away from the real time. */
void
rl_test_lab_backend_clock (RlTestLab *lab, gint64 offset)
{
  g_autofree char *body = g_strdup_printf ("{\"offset\": %" G_GINT64_FORMAT "}", offset);

  json_node_unref (rl_test_lab_backend_request (lab, "POST", "/lab/clock", NULL, body, NULL));
}

void
rl_test_lab_backend_stop (RlTestLab *lab)
{
  g_free (run_lab_words (lab, "backend", (const char *const[]){ "stop", NULL }));
}

void
rl_test_lab_backend_start (RlTestLab *lab)
{
  g_free (run_lab_words (lab, "backend", (const char *const[]){ "start", NULL }));
}

static gboolean
subprocess_done (gpointer data)
{
  return g_subprocess_get_identifier (G_SUBPROCESS (data)) == NULL;
}

typedef struct
{
  GSubprocess *sipp;
  guint port;
} SippStart;

/* sipp has bound its SIP port (an INVITE sent now waits in the socket for
 * it, where one sent earlier would bounce), or it has exited. */
static gboolean
sipp_listening (gpointer data)
{
  SippStart *start = data;

  return subprocess_done (start->sipp) || rl_test_udp_port_bound (start->port);
}

/* Starts sipp with tests/lab/scenarios/@scenario_name (or that absolute
 * path) for one call on a free port (*@port), once it listens. sipp exits 0
 * only if every check of the scenario held. @extra_args go to sipp (e.g.
 * "-key" "name" "value"). */
GSubprocess *
rl_test_start_sipp (const char *scenario_name, const char *const *extra_args, guint *port)
{
  g_autofree char *lab_dir = g_path_get_dirname (g_getenv ("RL_LAB"));
  g_autofree char *scenario = g_path_is_absolute (scenario_name)
                                ? g_strdup (scenario_name)
                                : g_build_filename (lab_dir, "scenarios", scenario_name, NULL);
  g_autofree char *sip_port = rl_test_free_port ();
  g_autofree char *media_port = rl_test_free_media_port ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  GSubprocess *sipp;

  /* Its control socket finds its own port on loopback (rl-lab's sipp_ports()). */
  g_strv_builder_add_many (builder, "sipp", "-mp", media_port, "-ci", "127.0.0.1", "-sf", scenario,
                           "-i", "127.0.0.1", "-p", sip_port, "-m", "1", "-nostdin", "-timeout",
                           "60", NULL);
  if (extra_args)
    g_strv_builder_addv (builder, (const char **) extra_args);
  argv = g_strv_builder_end (builder);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* A failed assertion aborts the test: sipp must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, rl_test_die_with_parent, NULL, NULL);
  sipp = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, &error);
  g_assert_no_error (error);
  *port = (guint) g_ascii_strtoull (sip_port, NULL, 10);
  g_assert_true (rl_test_wait (sipp_listening, &(SippStart){ sipp, *port }, 15));
  g_assert_false (subprocess_done (sipp));
  return sipp;
}

void
rl_test_assert_sipp_passed (GSubprocess *sipp)
{
  g_assert_true (rl_test_wait (subprocess_done, sipp, 15));
  g_assert_true (g_subprocess_get_if_exited (sipp));
  g_assert_cmpint (g_subprocess_get_exit_status (sipp), ==, 0);
}

/* A child's setup: it dies with the test, even when an assertion aborts it. */
void
rl_test_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

void
rl_test_remove_tree (const char *dir)
{
  g_autofree char *quoted = g_shell_quote (dir);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}
