/* test-dbus.c: the D-Bus API driven from another process, as a CRM would:
 * this test is the client, `ringline --headless` the service, the lab the
 * network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "rl-target.h"
#include "rl-test-lab.h"
#include "rl-test-link-vectors.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define BUS "org.ringline.Ringline"
#define PATH "/org/ringline/Ringline"
#define PHONE "org.ringline.Ringline.Phone1"
#define CALL "org.ringline.Ringline.Call1"

static RlTestLab *lab;
static guint n_spawned; /* each ringline's output, debug included, goes to ringline-N.log */

typedef struct
{
  GSubprocess *ringline;
  GDBusConnection *bus;
  guint sub;
  guint sub_ended;
  guint sub_dtmf;
  GPtrArray *events; /* (osa{sv}) tuples */
  GPtrArray *ended;  /* (oa{sv}) tuples from CallEnded */
  GString *dtmf;     /* keys from DtmfReceived, in order */
} Fixture;

static void
on_signal (GDBusConnection *c, const char *sender, const char *path, const char *iface,
           const char *name, GVariant *params, gpointer data)
{
  Fixture *f = data;

  g_ptr_array_add (f->events, g_variant_ref (params));
}

static void
on_ended (GDBusConnection *c, const char *sender, const char *path, const char *iface,
          const char *name, GVariant *params, gpointer data)
{
  g_ptr_array_add (((Fixture *) data)->ended, g_variant_ref (params));
}

static void
on_dtmf (GDBusConnection *c, const char *sender, const char *path, const char *iface,
         const char *name, GVariant *params, gpointer data)
{
  const char *key;

  g_variant_get (params, "(&s)", &key);
  g_string_append (((Fixture *) data)->dtmf, key);
}

static gboolean
bus_has_owner (GDBusConnection *bus, const char *name)
{
  g_autoptr (GVariant) r = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
    g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"), 0, 1000, NULL, NULL);
  gboolean owned = FALSE;

  if (r)
    g_variant_get (r, "(b)", &owned);
  return owned;
}

static gboolean
name_owned (gpointer data)
{
  return bus_has_owner (((Fixture *) data)->bus, BUS);
}

static void
die_with_test (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* @netns: (nullable): a network namespace to run it in */
static GSubprocess *
spawn_ringline_in (const char *netns, gboolean headless, const char *const *extra_env,
                   const char *arg)
{
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GStrvBuilder) argv = g_strv_builder_new ();
  g_auto (GStrv) full = NULL;
  GSubprocess *p;

  g_subprocess_launcher_set_child_setup (l, die_with_test, NULL, NULL);
  g_subprocess_launcher_setenv (l, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_set_flags (l, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  {
    g_autofree char *name = g_strdup_printf ("ringline-%u.log", ++n_spawned);
    g_autofree char *path = g_build_filename (rl_test_lab_dir (lab), name, NULL);

    g_subprocess_launcher_set_stdout_file_path (l, path);
  }
  for (guint i = 0; extra_env && extra_env[i]; i += 2)
    g_subprocess_launcher_setenv (l, extra_env[i], extra_env[i + 1], TRUE);
  if (netns)
    g_strv_builder_add_many (argv, "ip", "netns", "exec", netns, NULL);
  g_strv_builder_add (argv, g_getenv ("RINGLINE_BIN"));
  if (headless)
    g_strv_builder_add (argv, "--headless");
  if (arg)
    g_strv_builder_add (argv, arg);
  full = g_strv_builder_end (argv);
  p = g_subprocess_launcher_spawnv (l, (const char *const *) full, &error);
  g_assert_no_error (error);
  return p;
}

static GSubprocess *
spawn_ringline (const char *const *extra_env, const char *arg)
{
  return spawn_ringline_in (NULL, TRUE, extra_env, arg);
}

static GSubprocess *
spawn_ringline_with_window (void)
{
  return spawn_ringline_in (NULL, FALSE, NULL, NULL);
}

static void
start (Fixture *f, const char *const *extra_env)
{
  f->ringline = spawn_ringline (extra_env, NULL);
  g_assert_true (rl_test_wait (name_owned, f, 10));
}

static void
stop (Fixture *f)
{
  if (f->ringline == NULL)
    return;
  g_subprocess_send_signal (f->ringline, SIGTERM);
  g_subprocess_wait (f->ringline, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (f->ringline));
  g_assert_cmpint (g_subprocess_get_exit_status (f->ringline), ==, 0);
  g_clear_object (&f->ringline);
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_assert_nonnull (f->bus);
  f->events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  f->sub = g_dbus_connection_signal_subscribe (f->bus, BUS, PHONE, "CallStateChanged", PATH, NULL,
                                               0, on_signal, f, NULL);
  f->ended = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  f->dtmf = g_string_new (NULL);
  f->sub_ended = g_dbus_connection_signal_subscribe (f->bus, BUS, PHONE, "CallEnded", PATH, NULL, 0,
                                                     on_ended, f, NULL);
  f->sub_dtmf = g_dbus_connection_signal_subscribe (f->bus, BUS, CALL, "DtmfReceived", NULL, NULL,
                                                    0, on_dtmf, f, NULL);
  if (data == NULL)
    start (f, NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  stop (f);
  g_dbus_connection_signal_unsubscribe (f->bus, f->sub);
  g_dbus_connection_signal_unsubscribe (f->bus, f->sub_ended);
  g_dbus_connection_signal_unsubscribe (f->bus, f->sub_dtmf);
  g_ptr_array_unref (f->events);
  g_ptr_array_unref (f->ended);
  g_string_free (f->dtmf, TRUE);
  g_clear_object (&f->bus);
}

static GVariant *
call (Fixture *f, const char *path, const char *iface, const char *method, GVariant *params,
      GError **error)
{
  return g_dbus_connection_call_sync (f->bus, BUS, path, iface, method, params, NULL, 0, 10000,
                                      NULL, error);
}

static GVariant *
get_property (Fixture *f, const char *path, const char *iface, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = call (f, path, "org.freedesktop.DBus.Properties", "Get",
                                 g_variant_new ("(ss)", iface, name), &error);
  GVariant *value = NULL;

  g_assert_no_error (error);
  g_variant_get (r, "(v)", &value);
  return value;
}

static char *
get_string (Fixture *f, const char *path, const char *iface, const char *prop)
{
  g_autoptr (GVariant) v = get_property (f, path, iface, prop);

  return g_variant_dup_string (v, NULL);
}

typedef struct
{
  Fixture *f;
  const char *prop;
  const char *want;
} PropWait;

static gboolean
prop_is (gpointer data)
{
  PropWait *w = data;
  g_autofree char *v = get_string (w->f, PATH, PHONE, w->prop);

  return g_str_equal (v, w->want);
}

static void
wait_prop (Fixture *f, const char *prop, const char *want)
{
  PropWait w = { f, prop, want };

  if (!rl_test_wait (prop_is, &w, 15))
    {
      g_autofree char *now = get_string (f, PATH, PHONE, prop);
      g_error ("%s never became %s (is %s)", prop, want, now);
    }
}

static void
set_account (Fixture *f, guint agent)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r
    = call (f, PATH, PHONE, "SetAccount",
            g_variant_new ("(@a{sv})", rl_test_lab_account_settings (lab, agent, NULL)), &error);

  g_assert_no_error (error);
  wait_prop (f, "RegistrationState", "registered");
}

/* The details of the first CallStateChanged for @path in @state. */
typedef struct
{
  Fixture *f;
  const char *path;
  const char *state;
  GVariant *details;
} EventWait;

static gboolean
event_seen (gpointer data)
{
  EventWait *w = data;

  for (guint i = 0; i < w->f->events->len; i++)
    {
      const char *path, *state;
      GVariant *details;

      g_variant_get (g_ptr_array_index (w->f->events, i), "(&o&s@a{sv})", &path, &state, &details);
      if ((w->path == NULL || g_str_equal (path, w->path)) && g_str_equal (state, w->state))
        {
          w->details = details;
          if (w->path == NULL)
            w->path = g_strdup (path);
          return TRUE;
        }
      g_variant_unref (details);
    }
  return FALSE;
}

static GVariant *
wait_event (Fixture *f, const char *path, const char *state, char **path_out)
{
  EventWait w = { f, path, state, NULL };

  if (!rl_test_wait (event_seen, &w, 15))
    g_error ("no CallStateChanged %s for %s", state, path ? path : "any call");
  if (path_out)
    *path_out = (char *) w.path;
  else if (path == NULL)
    g_free ((char *) w.path);
  return w.details;
}

static void
test_bad_arguments (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;

  r = call (f, PATH, PHONE, "SetAccount",
            g_variant_new_parsed ("({'servers': <['127.0.0.1']>, 'user': <'x'>},)"), &error);
  g_assert_nonnull (error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_assert_nonnull (strstr (error->message, "user"));
  g_clear_error (&error);

  r = call (f, PATH, PHONE, "SetAccount",
            g_variant_new_parsed ("({'servers': <['127.0.0.1']>, 'username': <'1001'>, "
                                  "'register': <'yes'>},)"),
            &error);
  g_assert_nonnull (strstr (error->message, "register"));
  g_clear_error (&error);

  set_account (f, 0);
  for (const char *const *t = (const char *const[]){ "", "!!!", "sip:a b@c", "555\n1", NULL }; *t;
       t++)
    {
      r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("(%s, @a{sv} {})", *t), &error);
      g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                       "org.ringline.Ringline.Error.InvalidArgument");
      g_clear_error (&error);
    }
  {
    g_autofree char *longest = g_strnfill (1000, '5');

    r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("(%s, @a{sv} {})", longest), &error);
    g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                     "org.ringline.Ringline.Error.InvalidArgument");
    g_clear_error (&error);
  }
  /* Headers for the INVITE: only X- and User-to-User, one line each. */
  r = call (f, PATH, PHONE, "Dial",
            g_variant_new_parsed ("('6000', {'headers': <{'X-Ok': 'a', 'From': 'evil'}>})"),
            &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_assert_nonnull (strstr (error->message, "\"From\""));
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "Dial",
            g_variant_new_parsed ("('6000', {'headers': <{'X-Two': 'a\nVia: b'}>})"), &error);
  g_assert_nonnull (strstr (error->message, "X-Two"));
  g_clear_error (&error);
  /* AutoAnswer: off unless the agent or a host turns it on. */
  {
    g_autoptr (GVariant) before = get_property (f, PATH, PHONE, "AutoAnswer");
    g_autoptr (GVariant) after = NULL;

    g_assert_false (g_variant_get_boolean (before));
    r = call (f, PATH, "org.freedesktop.DBus.Properties", "Set",
              g_variant_new ("(ssv)", PHONE, "AutoAnswer", g_variant_new_boolean (TRUE)), &error);
    g_assert_no_error (error);
    after = get_property (f, PATH, PHONE, "AutoAnswer");
    g_assert_true (g_variant_get_boolean (after));
  }
  /* Language: a host's tag, as nxcloud's init.lang names it. */
  g_clear_pointer (&r, g_variant_unref);
  for (const char *const *t
       = (const char *const[]){ "zh-CN", "zh_CN", "fr", "zh_CN", "es-MX", "es_MX", "", "", NULL };
       *t; t += 2)
    {
      g_autofree char *now = NULL;

      r = call (f, PATH, "org.freedesktop.DBus.Properties", "Set",
                g_variant_new ("(ssv)", PHONE, "Language", g_variant_new_string (t[0])), &error);
      g_assert_no_error (error);
      g_clear_pointer (&r, g_variant_unref);
      now = get_string (f, PATH, PHONE, "Language");
      g_assert_cmpstr (now, ==, t[1]);
    }
  /* Every string argument, at any depth, has a limit, as have dictionaries
   * and contacts' fields (docs/dbus-api.md). */
  {
    g_autofree char *huge = g_strnfill (5000, 'x');
    GVariantBuilder options;

    r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("(%s, @a{sv} {})", huge), &error);
    g_assert_nonnull (strstr (error->message, "Dial args[0]: longer than 4096 bytes"));
    g_clear_error (&error);
    r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('6000', {'order_id': <%s>})", huge),
              &error);
    g_assert_nonnull (strstr (error->message, "Dial args[1][0][1]: longer than 4096 bytes"));
    g_clear_error (&error);
    g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
    for (guint i = 0; i < 300; i++)
      {
        g_autofree char *key = g_strdup_printf ("k%u", i);

        g_variant_builder_add (&options, "{sv}", key, g_variant_new_string ("v"));
      }
    r = call (f, PATH, PHONE, "Dial", g_variant_new ("(sa{sv})", "6000", &options), &error);
    g_assert_nonnull (strstr (error->message, "more than 256 entries"));
    g_clear_error (&error);
    r = call (f, PATH, PHONE, "SaveContacts",
              g_variant_new_parsed ("('crm', [{'id': <'1'>, 'name': <'A'>, 'note': <%s>}])", huge),
              &error);
    g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                     "org.ringline.Ringline.Error.InvalidArgument");
    g_assert_nonnull (strstr (error->message, "contacts[0].note: longer than 4096 bytes"));
    g_clear_error (&error);
  }

  /* Audio devices: a role that is not one, a name that cannot be a device, a
   * device that is not there (no sound server runs in this test). */
  for (const char *const *a = (const char *const[]){ "headphones", "x", "speaker", "a\"b",
                                                     "speaker", "usb_headset", NULL };
       *a; a += 2)
    {
      r = call (f, PATH, PHONE, "SetAudioDevice", g_variant_new ("(ss)", a[0], a[1]), &error);
      g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                       a[1][0] == 'u' ? "org.ringline.Ringline.Error.NotFound"
                                      : "org.ringline.Ringline.Error.InvalidArgument");
      g_clear_error (&error);
    }
  r = call (f, PATH, PHONE, "SetAudioDevice", g_variant_new ("(ss)", "ringer", ""), &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  {
    g_autoptr (GVariant) devices = get_property (f, PATH, PHONE, "AudioDevices");
    gboolean available = TRUE;

    g_assert_true (g_variant_lookup (devices, "available", "b", &available));
    g_assert_false (available);
  }

  /* The call center's verbs: bad statuses, parking without a backend or a
   * call, and the agent status over the bus. */
  r = call (f, PATH, PHONE, "SetAgentStatus", g_variant_new ("(ss)", "rest", "nap"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "SetAgentStatus", g_variant_new ("(ss)", "rest", "break"), &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  {
    g_autoptr (GVariant) status = get_property (f, PATH, PHONE, "AgentStatusReason");
    g_autoptr (GVariant) code = get_property (f, PATH, PHONE, "AgentStatusCode");

    g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "break");
    g_assert_cmpuint (g_variant_get_uint32 (code), ==, 5);
  }
  r = call (f, PATH, PHONE, "SetAgentStatus", g_variant_new ("(ss)", "idle", ""), &error);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Park",
            g_variant_new ("(os)", "/org/ringline/Ringline/Calls/999", "700"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.NotFound");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "Retrieve", g_variant_new ("(s)", "700"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.NotSignedIn");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "Retrieve", g_variant_new ("(s)", "7 0"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "WatchParkSlots", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "UnwatchParkSlots", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);

  r = call (f, PATH, PHONE, "Unregister", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  wait_prop (f, "RegistrationState", "unregistered");
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('6000', @a{sv} {})"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.NotRegistered");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "Register", NULL, &error);
  g_assert_no_error (error);
  wait_prop (f, "RegistrationState", "registered");
}

static void
test_outgoing_echo (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) accepted = NULL;
  g_autoptr (GVariant) ended = NULL;
  g_autoptr (GVariant) options = NULL;
  g_autofree char *state = NULL;
  g_autofree char *path = NULL;
  const char *s;
  guint32 duration, wait, total;

  set_account (f, 0);
  r = call (f, PATH, PHONE, "Dial",
            g_variant_new_parsed ("('6000', {'order_id': <'66493f1afaa3'>, 'params': <'{}'>})"),
            &error);
  g_assert_no_error (error);
  g_variant_get (r, "(o)", &path);
  g_assert_true (g_str_has_prefix (path, PATH "/Calls/"));
  g_variant_unref (wait_event (f, path, "calling", NULL));
  accepted = wait_event (f, path, "accepted", NULL);
  state = get_string (f, path, CALL, "State");
  g_assert_cmpstr (state, ==, "accepted");
  g_free (get_string (f, path, CALL, "Id"));
  /* A CRM attaches its data while the call is up. */
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "SetData",
            g_variant_new_parsed ("({'engagement_id': <'E-1'>, 'score': <7>},)"), &error);
  g_assert_no_error (error);
  {
    g_autoptr (GVariant) details = get_property (f, path, CALL, "Details");
    g_autoptr (GVariant) attached = g_variant_lookup_value (details, "data", NULL);

    g_assert_true (g_variant_lookup (details, "engagement_id", "&s", &s));
    g_assert_cmpstr (s, ==, "E-1");
    g_assert_nonnull (attached);
  }
  for (const char *const *bad = (const char *const[]){ "({'state': <'x'>},)", "({'a b': <'x'>},)",
                                                       "({'k': <['list']>},)", NULL };
       *bad; bad++)
    {
      r = call (f, path, CALL, "SetData", g_variant_new_parsed (*bad), &error);
      g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                       "org.ringline.Ringline.Error.InvalidArgument");
      g_clear_error (&error);
    }
  rl_test_sleep (1100);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Hangup", NULL, &error);
  g_assert_no_error (error);
  ended = wait_event (f, path, "terminated", NULL);
  g_assert_true (g_variant_lookup (ended, "reason", "&s", &s));
  g_assert_cmpstr (s, ==, "local-hangup");
  g_assert_true (g_variant_lookup (ended, "id", "&s", &s));
  g_assert_true (g_variant_lookup (ended, "from", "&s", &s));
  g_assert_cmpstr (s, ==, rl_test_lab_agent (lab, 0));
  g_assert_true (g_variant_lookup (ended, "to", "&s", &s));
  g_assert_cmpstr (s, ==, "6000");
  g_assert_true (g_variant_lookup (ended, "duration", "u", &duration));
  g_assert_true (g_variant_lookup (ended, "wait", "u", &wait));
  g_assert_true (g_variant_lookup (ended, "total", "u", &total));
  g_assert_cmpuint (duration, >=, 1);
  g_assert_cmpuint (total, ==, duration + wait);
  g_assert_true (g_variant_lookup (ended, "options", "@a{sv}", &options));
  g_assert_true (g_variant_lookup (options, "order_id", "&s", &s));
  g_assert_cmpstr (s, ==, "66493f1afaa3");
  g_assert_true (g_variant_lookup (ended, "engagement_id", "&s", &s));
  g_assert_cmpstr (s, ==, "E-1");

  /* After the end: on the object while it lingers, and by id. */
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "SetData", g_variant_new_parsed ("({'order_id': <'O-2'>},)"), &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SetCallData", g_variant_new_parsed ("('nope', {'a': <'b'>})"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.NotFound");
  g_clear_error (&error);
  {
    g_autoptr (GVariant) page
      = call (f, PATH, PHONE, "GetHistory", g_variant_new ("(uu)", 0, 1), &error);
    g_autoptr (GVariant) rows = g_variant_get_child_value (page, 0);
    g_autoptr (GVariant) row = g_variant_get_child_value (rows, 0);

    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (row, "order_id", "&s", &s));
    g_assert_cmpstr (s, ==, "O-2");
    g_assert_true (g_variant_lookup (row, "engagement_id", "&s", &s));
    g_assert_cmpstr (s, ==, "E-1");
  }
}

static void
on_dtmf_sent (GDBusConnection *bus, const char *sender, const char *path, const char *iface,
              const char *signal, GVariant *params, gpointer user_data)
{
  const char *call = NULL, *digit = NULL;

  g_variant_get (params, "(&o&s)", &call, &digit);
  g_string_append_printf (user_data, "%s %s\n", call, digit);
}

static gboolean
two_sent (gpointer data)
{
  return strchr (((GString *) data)->str, '2') != NULL;
}

static gboolean
two_digits (gpointer data)
{
  return ((Fixture *) data)->dtmf->len >= 2;
}

static gboolean
call_ended (gpointer data)
{
  return ((Fixture *) data)->ended->len > 0;
}

typedef struct
{
  Fixture *f;
  const char *path;
} CallRef;

static gboolean
has_quality (gpointer data)
{
  CallRef *c = data;
  g_autoptr (GVariant) quality = get_property (c->f, c->path, CALL, "Quality");

  return g_variant_lookup (quality, "label", "&s", NULL);
}

static gboolean
call_muted (gpointer data)
{
  CallRef *ref = data;
  g_autoptr (GVariant) muted = get_property (ref->f, ref->path, CALL, "Muted");

  return g_variant_get_boolean (muted);
}

static void
test_call_control (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) held = NULL;
  g_autoptr (GVariant) record = NULL;
  g_autofree char *path = NULL;
  const char *s, *ended_path;

  set_account (f, 0);
  r = call (f, PATH, PHONE, "Dial",
            g_variant_new_parsed ("('6000', {'order_id': <'O-9'>, 'engagement_id': <'E-1'>})"),
            &error);
  g_assert_no_error (error);
  g_variant_get (r, "(o)", &path);
  g_variant_unref (wait_event (f, path, "accepted", NULL));
  {
    g_autoptr (GVariant) max_calls = get_property (f, PATH, PHONE, "MaxCalls");

    g_assert_cmpuint (g_variant_get_uint32 (max_calls), ==, 2);
  }
  /* The echo bot's RTCP sender reports come every five seconds or so. */
  g_assert_true (rl_test_wait (has_quality, &(CallRef){ f, path }, 15));

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "SendDtmf", g_variant_new ("(s)", "4x"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_clear_error (&error);
  {
    g_autoptr (GString) sent = g_string_new (NULL);
    g_autofree char *want = g_strdup_printf ("%s 4\n%s 2\n", path, path);
    guint sub = g_dbus_connection_signal_subscribe (f->bus, BUS, PHONE, "DtmfSent", PATH, NULL, 0,
                                                    on_dtmf_sent, sent, NULL);

    r = call (f, path, CALL, "SendDtmf", g_variant_new ("(s)", "42"), &error);
    g_assert_no_error (error);
    g_assert_true (rl_test_wait (two_digits, f, 10));
    g_assert_cmpstr (f->dtmf->str, ==, "42");
    g_assert_true (rl_test_wait (two_sent, sent, 10));
    g_assert_cmpstr (sent->str, ==, want);
    g_dbus_connection_signal_unsubscribe (f->bus, sub);
  }

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Hold", NULL, &error);
  g_assert_no_error (error);
  held = wait_event (f, path, "held", NULL);
  g_assert_true (g_variant_lookup (held, "held_by", "&s", &s));
  g_assert_cmpstr (s, ==, "local");
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Resume", NULL, &error);
  g_assert_no_error (error);

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "SetMuted", g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (call_muted, &(CallRef){ f, path }, 10));
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Decline", NULL, &error); /* not ringing */
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidState");
  g_clear_error (&error);

  r = call (f, path, CALL, "Hangup", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (call_ended, f, 10));
  g_variant_get (g_ptr_array_index (f->ended, 0), "(&o@a{sv})", &ended_path, &record);
  g_assert_cmpstr (ended_path, ==, path);
  g_assert_true (g_variant_lookup (record, "order_id", "&s", &s));
  g_assert_cmpstr (s, ==, "O-9");
  g_assert_true (g_variant_lookup (record, "engagement_id", "&s", &s));
  g_assert_cmpstr (s, ==, "E-1");
  g_assert_true (g_variant_lookup (record, "status", "&s", &s));
  g_assert_cmpstr (s, ==, "answered");
  g_assert_true (g_variant_lookup (record, "muted", "b", NULL));
}

static void
test_incoming_answer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) ringing = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autofree char *path = NULL;
  g_autofree char *direction = NULL;
  const char *s;

  set_account (f, 1);
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  ringing = wait_event (f, NULL, "ringing", &path);
  g_assert_true (g_variant_lookup (ringing, "direction", "&s", &s));
  g_assert_cmpstr (s, ==, "inbound");
  g_assert_true (g_variant_lookup (ringing, "from", "&s", &s));
  g_assert_cmpstr (s, ==, rl_test_lab_extension (lab, "caller"));
  direction = get_string (f, path, CALL, "Direction");
  g_assert_cmpstr (direction, ==, "inbound");
  r = call (f, path, CALL, "Answer", NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "accepted", NULL));
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Hangup", NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "terminated", NULL));
}

static gboolean
crm_indexed (gpointer data)
{
  g_autoptr (GVariant) counts = get_property (data, PATH, PHONE, "ContactCount");
  guint n = 0;

  return g_variant_lookup (counts, "crm", "u", &n) && n == 2;
}

static gboolean
n_imported (Fixture *f, guint want)
{
  g_autoptr (GVariant) counts = get_property (f, PATH, PHONE, "ContactCount");
  guint n = 0;

  return g_variant_lookup (counts, "vcard", "u", &n) && n == want;
}

static gboolean
one_imported (gpointer data)
{
  return n_imported (data, 1);
}

static gboolean
two_imported (gpointer data)
{
  return n_imported (data, 2);
}

static gboolean
three_imported (gpointer data)
{
  return n_imported (data, 3);
}

/* ImportContactsFd with @fd, which the call closes here. */
static GVariant *
import_fd (Fixture *f, int fd, GError **error)
{
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new_from_array (&fd, 1);

  return g_dbus_connection_call_with_unix_fd_list_sync (
    f->bus, BUS, PATH, PHONE, "ImportContactsFd", g_variant_new ("(h)", 0), NULL, 0, 10000, fds,
    NULL, NULL, error);
}

/* A CRM pushes its contacts, searches them, and an incoming call from one
 * of them carries the contact's name and id. */
static void
test_contacts (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) found = NULL;
  g_autoptr (GVariant) ringing = NULL;
  g_autofree char *path = NULL;
  g_autofree char *caller = g_strdup (rl_test_lab_extension (lab, "caller"));
  const char *s;

  r = call (f, PATH, PHONE, "SetContacts",
            g_variant_new_parsed ("('crm', [{'id': <'c-1'>, 'name': <'Lucía Gómez'>,"
                                  " 'phones': <[%s]>}, {'id': <'c-2'>, 'name': <'Pedro'>,"
                                  " 'phones': <['+34 600 000 000']>}])",
                                  caller),
            &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (crm_indexed, f, 10));
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SearchContacts", g_variant_new ("(su)", "lucia", 5), &error);
  g_assert_no_error (error);
  found = g_variant_get_child_value (r, 0);
  g_assert_cmpuint (g_variant_n_children (found), ==, 1);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SetContacts",
            g_variant_new_parsed ("('crm', [{'id': <'x'>, 'name': <7>}])"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_assert_nonnull (strstr (error->message, "contacts[0].name"));
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "ImportContacts", g_variant_new ("(s)", "relative.vcf"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_clear_error (&error);

  set_account (f, 1);
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  ringing = wait_event (f, NULL, "ringing", &path);
  g_assert_true (g_variant_lookup (ringing, "contact_name", "&s", &s));
  g_assert_cmpstr (s, ==, "Lucía Gómez");
  g_assert_true (g_variant_lookup (ringing, "contact_id", "&s", &s));
  g_assert_cmpstr (s, ==, "c-1");
  r = call (f, path, CALL, "Decline", NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "terminated", NULL));

  /* `ringline --import FILE` hands the file to the running Ringline. */
  {
    g_autofree char *vcf = g_build_filename (rl_test_lab_dir (lab), "import.vcf", NULL);
    g_autofree char *arg = g_strdup_printf ("--import=%s", vcf);
    g_autoptr (GSubprocess) second = NULL;

    g_assert_true (g_file_set_contents (
      vcf, "BEGIN:VCARD\nVERSION:4.0\nFN:Imported One\nTEL:+1 555 0142\nEND:VCARD\n", -1, NULL));
    second = spawn_ringline (NULL, arg);
    g_assert_true (g_subprocess_wait_check (second, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (rl_test_wait (one_imported, f, 10));
  }

  /* A sandboxed CRM hands over a file it opened; a pipe is refused. */
  {
    g_autofree char *vcf = g_build_filename (rl_test_lab_dir (lab), "handed.vcf", NULL);
    int pipe_fds[2];

    g_assert_true (g_file_set_contents (
      vcf, "BEGIN:VCARD\nVERSION:4.0\nFN:Handed Over\nTEL:+1 555 0143\nEND:VCARD\n", -1, NULL));
    r = import_fd (f, open (vcf, O_RDONLY | O_CLOEXEC), &error);
    g_assert_no_error (error);
    g_clear_pointer (&r, g_variant_unref);
    g_assert_true (rl_test_wait (two_imported, f, 10));
    g_assert_cmpint (pipe (pipe_fds), ==, 0);
    r = import_fd (f, pipe_fds[0], &error);
    close (pipe_fds[1]);
    g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                     "org.ringline.Ringline.Error.InvalidArgument");
    g_assert_nonnull (strstr (error->message, "not a regular file"));
    g_clear_error (&error);
  }
  /* Or the vCard text itself; text that is none is refused. */
  {
    const char *card = "BEGIN:VCARD\nVERSION:3.0\nFN:In Memory\nTEL:+1 555 0144\nEND:VCARD\n";

    r = call (f, PATH, PHONE, "ImportContactsData",
              g_variant_new (
                "(@ay)", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, card, strlen (card), 1)),
              &error);
    g_assert_no_error (error);
    g_clear_pointer (&r, g_variant_unref);
    g_assert_true (rl_test_wait (three_imported, f, 10));
    r = call (
      f, PATH, PHONE, "ImportContactsData",
      g_variant_new ("(@ay)", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "hello", 5, 1)),
      &error);
    g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                     "org.ringline.Ringline.Error.InvalidArgument");
    g_clear_error (&error);
  }
}

static void
on_tokens_refreshed (GDBusConnection *bus, const char *sender, const char *path, const char *iface,
                     const char *signal, GVariant *params, gpointer user_data)
{
  const char *access = NULL;
  g_autoptr (GVariant) tokens = g_variant_get_child_value (params, 0);

  g_variant_lookup (tokens, "access_token", "&s", &access);
  g_ptr_array_add (user_data, g_strdup (access));
}

static gboolean
got_one (gpointer array)
{
  return ((GPtrArray *) array)->len > 0;
}

static gboolean
signed_in_prop (gpointer data)
{
  g_autoptr (GVariant) v = get_property (data, PATH, PHONE, "SignedIn");

  return g_variant_get_boolean (v);
}

static gboolean
has_caller_ids (gpointer data)
{
  g_autoptr (GVariant) v = get_property (data, PATH, PHONE, "CallerIds");

  return g_variant_n_children (v) == 3;
}

static void
sign_in_agent (Fixture *f, guint agent)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = call (f, PATH, PHONE, "SignIn",
                                 g_variant_new ("(sss)", rl_test_lab_backend_url (lab),
                                                rl_test_lab_backend_email (lab, agent),
                                                rl_test_lab_backend_password (lab, agent)),
                                 &error);

  g_assert_no_error (error);
  g_assert_true (rl_test_wait (signed_in_prop, f, 15));
}

typedef struct
{
  Fixture *f;
  const char *brand_name;
  gboolean logo_loaded;
} ThemeWait;

static gboolean
theme_is (gpointer data)
{
  ThemeWait *w = data;
  g_autoptr (GVariant) theme = get_property (w->f, PATH, PHONE, "Theme");
  const char *name = NULL;
  gboolean loaded = FALSE;

  g_variant_lookup (theme, "brand_name", "&s", &name);
  g_variant_lookup (theme, "logo_loaded", "b", &loaded);
  return g_strcmp0 (name, w->brand_name) == 0 && loaded == w->logo_loaded;
}

static void
set_theme (Fixture *f, GVariant *theme)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r
    = call (f, PATH, PHONE, "SetTheme", g_variant_new_tuple (&theme, 1), &error);

  g_assert_no_error (error);
}

/* The call center's brand comes with the session, its logo fetched once
 * and cached; a host's SetTheme wins key by key; a wrong colour is refused
 * by name, a logo past 1 MiB is not taken. */
static void
test_theme (Fixture *f, gconstpointer data)
{
  g_autofree char *logo = g_strdup_printf ("%s/brand/logo.png", rl_test_lab_backend_url (lab));
  g_autofree char *huge = g_strdup_printf ("%s/brand/huge.png", rl_test_lab_backend_url (lab));
  g_autofree char *branding
    = g_strdup_printf ("{\"brand_name\": \"Lab Call Center\", \"brand_logo\": \"%s\", "
                       "\"primary_color\": \"#6366f1\", \"accent_color\": \"#10b981\"}",
                       logo);
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GVariant) theme = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GError) error = NULL;
  gint64 fetches;
  const char *primary = NULL;

  reply = rl_test_lab_backend_request (lab, "POST", "/lab/branding", NULL, branding, NULL);
  fetches = rl_test_lab_backend_stat (lab, "logo_fetches");
  sign_in_agent (f, 0);
  g_assert_true (rl_test_wait (theme_is, &(ThemeWait){ f, "Lab Call Center", TRUE }, 10));
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "logo_fetches"), ==, fetches + 1);

  set_theme (f, g_variant_new_parsed ("{'brand_name': <'Acme Corp'>}"));
  g_assert_true (rl_test_wait (theme_is, &(ThemeWait){ f, "Acme Corp", TRUE }, 10));
  theme = get_property (f, PATH, PHONE, "Theme");
  g_assert_true (g_variant_lookup (theme, "primary_color", "&s", &primary));
  g_assert_cmpstr (primary, ==, "#6366f1");

  r = call (f, PATH, PHONE, "SetTheme", g_variant_new_parsed ("({'primary_color': <'indigo'>},)"),
            &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_assert_nonnull (strstr (error->message, "primary_color"));
  g_clear_error (&error);

  /* Past 1 MiB: no logo. Back to the call center's: from the cache. */
  set_theme (f, g_variant_new_parsed ("{'brand_logo': <%s>}", huge));
  g_assert_true (rl_test_wait (theme_is, &(ThemeWait){ f, "Acme Corp", FALSE }, 10));
  rl_test_sleep (1000);
  g_assert_true (theme_is (&(ThemeWait){ f, "Acme Corp", FALSE }));
  set_theme (f, g_variant_new_parsed ("{'brand_logo': <''>}"));
  g_assert_true (rl_test_wait (theme_is, &(ThemeWait){ f, "Acme Corp", TRUE }, 10));
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "logo_fetches"), ==, fetches + 2);

  g_clear_pointer (&reply, json_node_unref);
  reply = rl_test_lab_backend_request (lab, "POST", "/lab/branding", NULL, "{}", NULL);
}

/* The numbers the call center provides to call from, and the agent's
 * choice among them, kept for the next sign-in. */
static void
test_caller_ids (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autofree char *chosen = NULL;

  sign_in_agent (f, 0);
  g_assert_true (rl_test_wait (has_caller_ids, f, 15));
  r = call (f, PATH, PHONE, "SetCallerId", g_variant_new ("(s)", "+19999999"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "SetCallerId", g_variant_new ("(s)", "+15550199"), &error);
  g_assert_no_error (error);
  chosen = get_string (f, PATH, PHONE, "CallerId");
  g_assert_cmpstr (chosen, ==, "+15550199");
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SignOut", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (rl_test_wait (has_caller_ids, f, 1));
  g_clear_pointer (&chosen, g_free);
  chosen = get_string (f, PATH, PHONE, "CallerId");
  g_assert_cmpstr (chosen, ==, "");

  sign_in_agent (f, 0);
  g_assert_true (rl_test_wait (has_caller_ids, f, 15));
  g_clear_pointer (&chosen, g_free);
  chosen = get_string (f, PATH, PHONE, "CallerId");
  g_assert_cmpstr (chosen, ==, "+15550199");
}

/* A host that signed the agent in and keeps the tokens asks to hear of
 * each refresh: the new tokens go to it alone, not to another client on
 * the same bus. */
static void
test_tokens_to_host (Fixture *f, gconstpointer data)
{
  g_autofree char *login
    = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}",
                       rl_test_lab_backend_email (lab, 0), rl_test_lab_backend_password (lab, 0));
  g_autoptr (JsonNode) reply
    = rl_test_lab_backend_request (lab, "POST", "/oauth/token", NULL, login, NULL);
  JsonObject *o = json_node_get_object (reply);
  g_autoptr (GPtrArray) ours = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) theirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDBusConnection) other = g_dbus_connection_new_for_address_sync (
    g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, NULL);
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GError) error = NULL;
  const char *access = json_object_get_string_member (o, "access_token");
  guint sub_ours, sub_theirs;

  g_assert_nonnull (other);
  r = call (f, PATH, PHONE, "SignInWithTokens2",
            g_variant_new_parsed ("(%s, {'access_token': <7>})", rl_test_lab_backend_url (lab)),
            &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_clear_error (&error);
  sub_ours = g_dbus_connection_signal_subscribe (f->bus, BUS, PHONE, "TokensRefreshed", PATH, NULL,
                                                 0, on_tokens_refreshed, ours, NULL);
  sub_theirs = g_dbus_connection_signal_subscribe (other, NULL, PHONE, "TokensRefreshed", NULL,
                                                   NULL, 0, on_tokens_refreshed, theirs, NULL);
  r = call (f, PATH, PHONE, "SignInWithTokens2",
            g_variant_new_parsed ("(%s, {'access_token': <%s>, 'refresh_token': <%s>,"
                                  " 'host_refresh': <true>})",
                                  rl_test_lab_backend_url (lab), access,
                                  json_object_get_string_member (o, "refresh_token")),
            &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (signed_in_prop, f, 15));
  /* The access token expires; the next request (the agent status is read
   * every few seconds) refreshes it. */
  json_node_unref (rl_test_lab_backend_request (lab, "POST", "/lab/expire", NULL, "{}", NULL));
  g_assert_true (rl_test_wait (got_one, ours, 20));
  g_assert_cmpstr (g_ptr_array_index (ours, 0), !=, access);
  g_assert_cmpstr (g_ptr_array_index (ours, 0), !=, "");
  rl_test_sleep (500);
  g_assert_cmpuint (theirs->len, ==, 0);
  g_dbus_connection_signal_unsubscribe (f->bus, sub_ours);
  g_dbus_connection_signal_unsubscribe (other, sub_theirs);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SignOut", NULL, &error);
  g_assert_no_error (error);
}

static void
on_tokens_needed (GDBusConnection *bus, const char *sender, const char *path, const char *iface,
                  const char *signal, GVariant *params, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
counted (gpointer data)
{
  return *(guint *) data > 0;
}

/* A host that hands over refreshing entirely: Ringline never uses the
 * refresh token; when the backend refuses the access token the host alone
 * is asked, and the requests go on with what it gives. */
static void
test_tokens_by_host (Fixture *f, gconstpointer data)
{
  g_autofree char *login
    = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}",
                       rl_test_lab_backend_email (lab, 1), rl_test_lab_backend_password (lab, 1));
  g_autoptr (JsonNode) reply
    = rl_test_lab_backend_request (lab, "POST", "/oauth/token", NULL, login, NULL);
  JsonObject *o = json_node_get_object (reply);
  g_autofree char *refresh_body = g_strdup_printf (
    "{\"refresh_token\": \"%s\"}", json_object_get_string_member (o, "refresh_token"));
  g_autoptr (JsonNode) refreshed = NULL;
  g_autoptr (GDBusConnection) other = g_dbus_connection_new_for_address_sync (
    g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, NULL);
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) tokens = NULL;
  g_autoptr (GError) error = NULL;
  guint needed = 0, sub;
  gint64 refreshes;

  sub = g_dbus_connection_signal_subscribe (f->bus, BUS, PHONE, "TokensNeeded", PATH, NULL, 0,
                                            on_tokens_needed, &needed, NULL);
  r = call (f, PATH, PHONE, "SignInWithTokens2",
            g_variant_new_parsed ("(%s, {'access_token': <%s>, 'refresh_by_host': <true>})",
                                  rl_test_lab_backend_url (lab),
                                  json_object_get_string_member (o, "access_token")),
            &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (signed_in_prop, f, 15));
  refreshes = rl_test_lab_backend_stat (lab, "refreshes");
  json_node_unref (rl_test_lab_backend_request (lab, "POST", "/lab/expire", NULL, "{}", NULL));
  g_assert_true (rl_test_wait (counted, &needed, 20));

  refreshed
    = rl_test_lab_backend_request (lab, "POST", "/oauth/refresh-token", NULL, refresh_body, NULL);
  tokens = g_variant_ref_sink (g_variant_new_parsed (
    "({'access_token': <%s>},)",
    json_object_get_string_member (json_node_get_object (refreshed), "access_token")));
  g_clear_pointer (&r, g_variant_unref);
  r = g_dbus_connection_call_sync (other, BUS, PATH, PHONE, "SetTokens", tokens, NULL, 0, 10000,
                                   NULL, &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidState");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "SetTokens", tokens, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SetAgentStatus", g_variant_new ("(ss)", "rest", "meal"), &error);
  g_assert_no_error (error);
  g_assert_true (signed_in_prop (f));
  /* Only the host's own refresh reached the backend. */
  g_assert_cmpint (rl_test_lab_backend_stat (lab, "refreshes"), ==, refreshes + 1);
  g_dbus_connection_signal_unsubscribe (f->bus, sub);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SignOut", NULL, &error);
  g_assert_no_error (error);
}

/* Every signal's name as it comes, for tests that check the members a CRM
 * relies on one after the other. */
static void
on_any_signal (GDBusConnection *bus, const char *sender, const char *path, const char *iface,
               const char *signal, GVariant *params, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (signal));
}

typedef struct
{
  GPtrArray *names;
  const char *want;
} Heard;

static gboolean
heard (gpointer data)
{
  Heard *h = data;

  return g_ptr_array_find_with_equal_func (h->names, h->want, g_str_equal, NULL);
}

static void
wait_heard (GPtrArray *names, const char *want)
{
  Heard h = { names, want };

  if (!rl_test_wait (heard, &h, 20))
    g_error ("no %s signal", want);
}

static gboolean
get_flag (Fixture *f, const char *path, const char *iface, const char *prop)
{
  g_autoptr (GVariant) v = get_property (f, path, iface, prop);

  return g_variant_get_boolean (v);
}

static gboolean
has_a_call (gpointer data)
{
  g_autoptr (GVariant) calls = get_property (data, PATH, PHONE, "Calls");

  return g_variant_n_children (calls) > 0;
}

static gboolean
slot_700_taken (gpointer data)
{
  g_autoptr (GVariant) slots = get_property (data, PATH, PHONE, "ParkSlots");

  for (gsize i = 0; i < g_variant_n_children (slots); i++)
    {
      g_autoptr (GVariant) slot = g_variant_get_child_value (slots, i);
      const char *extension = "";
      gboolean occupied = FALSE;

      g_variant_lookup (slot, "extension", "&s", &extension);
      g_variant_lookup (slot, "occupied", "b", &occupied);
      if (g_str_equal (extension, "700"))
        return occupied;
    }
  return FALSE;
}

static void
sign_in_with_tokens (Fixture *f, guint agent, const char *refresh_override)
{
  g_autofree char *login = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}",
                                            rl_test_lab_backend_email (lab, agent),
                                            rl_test_lab_backend_password (lab, agent));
  g_autoptr (JsonNode) reply
    = rl_test_lab_backend_request (lab, "POST", "/oauth/token", NULL, login, NULL);
  JsonObject *o = json_node_get_object (reply);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = call (
    f, PATH, PHONE, "SignInWithTokens",
    g_variant_new (
      "(sss)", rl_test_lab_backend_url (lab), json_object_get_string_member (o, "access_token"),
      refresh_override ? refresh_override : json_object_get_string_member (o, "refresh_token")),
    &error);

  g_assert_no_error (error);
  g_assert_true (rl_test_wait (signed_in_prop, f, 15));
}

/* The call center's members from a separate process, in the order an
 * agent's shift meets them: sign-in with a host's tokens, status, contacts
 * pushed and cleared, park slots watched, a caller answered, recorded,
 * held, parked (once refused), retrieved and transferred, the history
 * told, sign-out. */
static void
test_agent_members (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autofree char *path = NULL;
  g_autofree char *back = NULL;
  g_autofree char *text = NULL;
  const char *agent = rl_test_lab_agent (lab, 2);
  guint sub_phone, sub_call;

  sub_phone = g_dbus_connection_signal_subscribe (f->bus, BUS, PHONE, NULL, PATH, NULL, 0,
                                                  on_any_signal, names, NULL);
  sub_call = g_dbus_connection_signal_subscribe (f->bus, BUS, CALL, NULL, NULL, NULL, 0,
                                                 on_any_signal, names, NULL);
  sign_in_with_tokens (f, 2, NULL);
  {
    g_autoptr (GVariant) who = get_property (f, PATH, PHONE, "Agent");
    const char *extension = NULL;
    gboolean exists = FALSE;

    g_assert_true (g_variant_lookup (who, "extension", "&s", &extension));
    g_assert_cmpstr (extension, ==, agent);
    g_assert_true (g_variant_lookup (who, "agent_exists", "b", &exists));
    g_assert_true (exists);
  }
  g_assert_true (get_flag (f, PATH, PHONE, "BackendOnline"));
  wait_prop (f, "RegistrationState", "registered");
  text = get_string (f, PATH, PHONE, "RegistrationError");
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  text = get_string (f, PATH, PHONE, "EngineVersion");
  g_assert_cmpuint (strlen (text), >, 0);

  r = call (f, PATH, PHONE, "SetAgentStatus", g_variant_new ("(ss)", "rest", "meal"), &error);
  g_assert_no_error (error);
  wait_heard (names, "AgentStatusChanged");
  g_clear_pointer (&text, g_free);
  text = get_string (f, PATH, PHONE, "AgentStatus");
  g_assert_cmpstr (text, ==, "rest");
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SetAgentStatus", g_variant_new ("(ss)", "idle", ""), &error);
  g_assert_no_error (error);

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SetContacts",
            g_variant_new_parsed ("('shift', [{'id': <'1'>, 'name': <'Ana'>}])"), &error);
  g_assert_no_error (error);
  wait_heard (names, "ImportProgress");
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "ClearContacts", g_variant_new ("(s)", "shift"), &error);
  g_assert_no_error (error);
  {
    g_autoptr (GVariant) counts = get_property (f, PATH, PHONE, "ContactCount");
    guint n = 0;

    g_assert_false (g_variant_lookup (counts, "shift", "u", &n) && n > 0);
  }

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "WatchParkSlots", NULL, &error);
  g_assert_no_error (error);
  wait_heard (names, "ParkSlotsUpdated");
  {
    g_autoptr (GVariant) slots = get_property (f, PATH, PHONE, "ParkSlots");

    g_assert_cmpuint (g_variant_n_children (slots), >, 0);
  }

  rl_test_lab_call (lab, agent);
  g_variant_unref (wait_event (f, NULL, "ringing", &path));
  {
    g_autoptr (GVariant) calls = get_property (f, PATH, PHONE, "Calls");
    g_autofree char *number = get_string (f, path, CALL, "RemoteNumber");
    g_autofree char *name = get_string (f, path, CALL, "RemoteName");
    g_autofree char *uri = get_string (f, path, CALL, "RemoteUri");

    g_assert_cmpuint (g_variant_n_children (calls), ==, 1);
    g_assert_cmpstr (number, ==, rl_test_lab_extension (lab, "caller"));
    g_assert_nonnull (name);
    g_assert_true (g_str_has_prefix (uri, "sip:"));
  }
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Answer", NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "accepted", NULL));

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "StartRecording", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (get_flag (f, path, CALL, "Recording"));
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "StopRecording", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (get_flag (f, path, CALL, "Recording"));

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Hold", NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "held", NULL));
  g_clear_pointer (&text, g_free);
  text = get_string (f, path, CALL, "HeldBy");
  g_assert_cmpstr (text, ==, "local");
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Resume", NULL, &error);
  g_assert_no_error (error);

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Park", g_variant_new ("(os)", path, "799"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.Backend");
  g_clear_error (&error);
  wait_heard (names, "ParkFailed");
  r = call (f, PATH, PHONE, "Park", g_variant_new ("(os)", path, "700"), &error);
  g_assert_no_error (error);
  wait_heard (names, "CallParked");
  g_variant_unref (wait_event (f, path, "terminated", NULL));
  wait_heard (names, "HistoryChanged");
  g_clear_pointer (&text, g_free);
  text = get_string (f, PATH, PHONE, "HistoryProblem");
  g_assert_cmpstr (text, ==, "");

  g_assert_true (rl_test_wait (slot_700_taken, f, 20));
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Retrieve", g_variant_new ("(s)", "700"), &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (has_a_call, f, 20));
  {
    g_autoptr (GVariant) calls = get_property (f, PATH, PHONE, "Calls");

    g_variant_get_child (calls, 0, "o", &back);
  }
  g_assert_cmpstr (back, !=, path);
  g_variant_unref (wait_event (f, back, "accepted", NULL));
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, back, CALL, "Transfer", g_variant_new ("(s)", rl_test_lab_extension (lab, "echo")),
            &error);
  g_assert_no_error (error);
  wait_heard (names, "TransferResult");
  g_variant_unref (wait_event (f, back, "terminated", NULL));

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "UnwatchParkSlots", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SignOut", NULL, &error);
  g_assert_no_error (error);
  wait_heard (names, "SignedOut");
  g_dbus_connection_signal_unsubscribe (f->bus, sub_phone);
  g_dbus_connection_signal_unsubscribe (f->bus, sub_call);
}

/* A refresh the backend refuses: AuthFailed, then SignedOut. */
static void
test_auth_failed (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint sub = g_dbus_connection_signal_subscribe (f->bus, BUS, PHONE, NULL, PATH, NULL, 0,
                                                  on_any_signal, names, NULL);

  sign_in_with_tokens (f, 1, "not-a-refresh-token");
  json_node_unref (rl_test_lab_backend_request (lab, "POST", "/lab/expire", NULL, "{}", NULL));
  wait_heard (names, "AuthFailed");
  wait_heard (names, "SignedOut");
  g_assert_false (signed_in_prop (f));
  g_dbus_connection_signal_unsubscribe (f->bus, sub);
}

static gboolean
log_has (gpointer data)
{
  char **what = data; /* path, needle */
  g_autofree char *text = NULL;

  return g_file_get_contents (what[0], &text, NULL, NULL) && strstr (text, what[1]) != NULL;
}

/* A web CRM's page for the caller, opened in the desktop's browser (here
 * tests/lab/rl-browser, the http handler of this Ringline's XDG dirs) when
 * an inbound call rings, with the call's values filled in. */
static void
test_screen_pop (Fixture *f, gconstpointer data)
{
  g_autofree char *config = g_dir_make_tmp ("ringline-config-XXXXXX", NULL);
  g_autofree char *home = g_dir_make_tmp ("ringline-data-XXXXXX", NULL);
  g_autofree char *apps = g_build_filename (home, "applications", NULL);
  g_autofree char *settings_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *desktop = g_build_filename (apps, "rl-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *log = g_build_filename (rl_test_lab_dir (lab), "screen-pop.log", NULL);
  g_autofree char *lab_dir = g_path_get_dirname (g_getenv ("RL_LAB"));
  g_autofree char *entry = g_strdup_printf (
    "[Desktop Entry]\nType=Application\nName=Test browser\nExec=/usr/bin/python3 %s/rl-browser "
    "%%u\nNoDisplay=true\nMimeType=x-scheme-handler/http;\n",
    lab_dir);
  const char *env[] = { "GSETTINGS_BACKEND",
                        "keyfile",
                        "XDG_CONFIG_HOME",
                        config,
                        "XDG_DATA_HOME",
                        home,
                        "RL_BROWSER_LOG",
                        log,
                        NULL };
  g_autoptr (GVariant) ringing = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *want = NULL;
  const char *id = NULL;

  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (desktop, entry, -1, NULL));
  g_assert_true (g_file_set_contents (
    mimeapps, "[Default Applications]\nx-scheme-handler/http=rl-test-browser.desktop\n", -1, NULL));
  g_assert_true (
    g_file_set_contents (keyfile,
                         "[org/ringline/Ringline]\n"
                         "screen-pop-url='http://127.0.0.1:9/"
                         "crm?n={number}&id={call_id}&d={direction}&e={engagement_id}'\n",
                         -1, NULL));
  start (f, env);
  set_account (f, 1);
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  ringing = wait_event (f, NULL, "ringing", &path);
  g_assert_true (g_variant_lookup (ringing, "id", "&s", &id));
  want = g_strdup_printf ("url http://127.0.0.1:9/crm?n=%s&id=%s&d=inbound&e=\n",
                          rl_test_lab_extension (lab, "caller"), id);
  g_assert_true (rl_test_wait (log_has, (char *[]){ log, want }, 15));
  r = call (f, path, CALL, "Decline", NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "terminated", NULL));
}

static void
test_busy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) ended = NULL;
  g_autofree char *uri = g_strdup_printf (
    "sip:%s@127.0.0.1:%u", rl_test_lab_extension (lab, "busy"), rl_test_lab_port (lab));
  g_autofree char *path = NULL;
  const char *s;
  guint32 code;

  set_account (f, 0);
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("(%s, @a{sv} {})", uri), &error);
  g_assert_no_error (error);
  g_variant_get (r, "(o)", &path);
  ended = wait_event (f, path, "terminated", NULL);
  g_assert_true (g_variant_lookup (ended, "reason", "&s", &s));
  g_assert_cmpstr (s, ==, "busy");
  g_assert_true (g_variant_lookup (ended, "reason_code", "u", &code));
  g_assert_cmpuint (code, ==, 486);
}

static void
test_link_forwarded (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) second = NULL;
  g_autoptr (GVariant) calling = NULL;
  g_autoptr (GVariant) ended = NULL;
  g_autofree char *path = NULL;
  const char *s;

  set_account (f, 0);
  /* A second instance hands the link to the running one and exits. */
  second = spawn_ringline (NULL, "tel:+1-555-0100");
  g_assert_true (g_subprocess_wait_check (second, NULL, NULL));
  calling = wait_event (f, NULL, "calling", &path);
  g_assert_true (g_variant_lookup (calling, "to", "&s", &s));
  g_assert_cmpstr (s, ==, "+15550100");
  ended = wait_event (f, path, "terminated", NULL);
  g_assert_true (g_variant_lookup (ended, "reason", "&s", &s));
  g_assert_cmpstr (s, ==, "not-found");
}

/* The link vectors (rl-test-link-vectors.h) through `ringline URI` into
 * the running instance: each number link places a call to what the parser
 * says, each refused one places nothing. SIP URIs are left to test-target
 * (their hosts are not the lab's), as are plain numbers, which are no
 * links. */
static void
test_link_vectors (Fixture *f, gconstpointer data)
{
  set_account (f, 0);
  for (guint i = 0; i < G_N_ELEMENTS (rl_test_link_vectors); i++)
    {
      const RlTestLinkVector *v = &rl_test_link_vectors[i];
      g_autoptr (GSubprocess) second = NULL;
      g_autofree char *path = NULL;

      if (!rl_target_is_link (v->in) || (v->dial && g_str_has_prefix (v->dial, "sip")))
        continue;
      g_test_message ("%s", v->in);
      g_ptr_array_set_size (f->events, 0);
      second = spawn_ringline (NULL, v->in);
      g_assert_true (g_subprocess_wait_check (second, NULL, NULL));
      if (v->dial)
        {
          g_autoptr (GVariant) calling = wait_event (f, NULL, "calling", &path);
          const char *to = NULL;

          g_assert_true (g_variant_lookup (calling, "to", "&s", &to));
          g_assert_cmpstr (to, ==, v->dial);
          g_variant_unref (wait_event (f, path, "terminated", NULL));
        }
      else
        {
          rl_test_sleep (300);
          g_assert_cmpuint (f->events->len, ==, 0);
        }
    }
}

static void
test_missing_baresip (Fixture *f, gconstpointer data)
{
  const char *env[] = { "RINGLINE_BARESIP", "/nonexistent/baresip", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autofree char *state = NULL;
  g_autofree char *why = NULL;

  start (f, env);
  state = get_string (f, PATH, PHONE, "EngineState");
  why = get_string (f, PATH, PHONE, "EngineError");
  g_assert_cmpstr (state, ==, "missing");
  g_assert_nonnull (strstr (why, "baresip is not installed"));
  r = call (f, PATH, PHONE, "SetAccount",
            g_variant_new ("(@a{sv})", rl_test_lab_account_settings (lab, 0, NULL)), &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('6000', @a{sv} {})"), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.EngineUnavailable");
}

static gboolean
audio_unusable (gpointer data)
{
  Fixture *f = data;
  g_autoptr (GVariant) devices = get_property (f, PATH, PHONE, "AudioDevices");
  gboolean usable = TRUE;

  return g_variant_lookup (devices, "usable", "b", &usable) && !usable;
}

/* No sound server: AudioDevices says so and Dial is refused by name before
 * anything is sent. */
static void
test_no_audio_device (Fixture *f, gconstpointer data)
{
  const char *env[] = { "RINGLINE_AUDIO", "system", "PULSE_SERVER",
                        "unix:/nonexistent/ringline-no-sound-server", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) devices = NULL;
  const char *problem = NULL;

  start (f, env);
  r = call (f, PATH, PHONE, "SetAccount",
            g_variant_new ("(@a{sv})", rl_test_lab_account_settings (lab, 0, NULL)), &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, g_variant_unref);
  wait_prop (f, "RegistrationState", "registered");
  g_assert_true (rl_test_wait (audio_unusable, f, 10));
  devices = get_property (f, PATH, PHONE, "AudioDevices");
  g_assert_true (g_variant_lookup (devices, "problem", "&s", &problem));
  g_assert_cmpstr (problem, ==, "No microphone or speaker — connect a headset");
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('6000', @a{sv} {})"), &error);
  g_assert_null (r);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.NoAudioDevice");
}

/* Ringline holds passwords and tokens in memory: a crash leaves no core. */
static void
test_no_core_dumps (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *limits = NULL;
  g_autoptr (GRegex) no_core
    = g_regex_new ("^Max core file size +0 +0 ", G_REGEX_MULTILINE, 0, NULL);

  start (f, NULL);
  path = g_strdup_printf ("/proc/%s/limits", g_subprocess_get_identifier (f->ringline));
  g_assert_true (g_file_get_contents (path, &limits, NULL, NULL));
  g_assert_true (g_regex_match (no_core, limits, 0, NULL));
}

static gboolean
keyring_available (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) r = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
    g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"), 0, 1000, NULL, NULL);
  gboolean owned = FALSE;

  if (r)
    g_variant_get (r, "(b)", &owned);
  return owned;
}

static void
test_restart_keeps_account (Fixture *f, gconstpointer data)
{
  g_autofree char *config = g_dir_make_tmp ("ringline-config-XXXXXX", NULL);
  const char *env[] = { "GSETTINGS_BACKEND", "keyfile", "XDG_CONFIG_HOME", config, NULL };

  if (!keyring_available ())
    {
      g_test_skip ("no secret service on this session bus (run through ./dev test)");
      return;
    }
  start (f, env);
  set_account (f, 2);
  stop (f);
  g_assert_false (rl_test_tree_contains (config, rl_test_lab_password (lab, 2)));
  /* No SetAccount this time: the settings and the keyring bring it back. */
  start (f, env);
  wait_prop (f, "RegistrationState", "registered");
}

/* Runs last: nothing any ringline logged holds a password. */
static void
test_no_password_in_logs (void)
{
  g_autoptr (GString) all = g_string_new (NULL);

  for (guint n = 1; n <= n_spawned; n++)
    {
      g_autofree char *name = g_strdup_printf ("ringline-%u.log", n);
      g_autofree char *path = g_build_filename (rl_test_lab_dir (lab), name, NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_string_append (all, text);
    }
  g_assert_nonnull (strstr (all->str, "uanew"));
  for (guint i = 0; i < 3; i++)
    g_assert_null (strstr (all->str, rl_test_lab_password (lab, i)));
  g_assert_null (strstr (all->str, "auth_pass"));
}

/* The record of call @id in the history Ringline wrote (the same user data
 * dir as this test's). */
static GVariant *
history_record (const char *id)
{
  g_autoptr (RlHistory) history = rl_history_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) rows = rl_test_read_history (history, 0, 50, &error);
  GVariantIter iter;
  GVariant *row;

  g_assert_no_error (error);
  g_variant_iter_init (&iter, rows);
  while ((row = g_variant_iter_next_value (&iter)))
    {
      const char *row_id = NULL;

      if (g_variant_lookup (row, "id", "&s", &row_id) && g_str_equal (row_id, id))
        return row;
      g_variant_unref (row);
    }
  return NULL;
}

static void
run (const char *command)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("failed: %s", command);
}

static void
xdotool (const char *args)
{
  g_autofree char *command = g_strdup_printf ("xdotool %s", args);

  run (command);
}

static gboolean
ringline_exited (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

/* Whether the quit question is on screen. */
static gboolean
question_shown (void)
{
  int status = 1;

  g_spawn_command_line_sync ("xdotool search --onlyvisible --name '^Quit Ringline'", NULL, NULL,
                             &status, NULL);
  return g_spawn_check_wait_status (status, NULL);
}

/* The agent quits from the window: Ctrl+Q, and with a call up the question
 * whether to end it, answered Quit (its mnemonic, Alt+Q) once the question
 * has the focus. On a loaded display the key can reach the question before
 * it takes keys: while it stays up, the agent presses again. */
static void
quit_from_window (Fixture *f)
{
  xdotool ("search --sync --onlyvisible --name '^Ringline$' windowfocus --sync"
           " key --clearmodifiers ctrl+q");
  xdotool ("search --sync --onlyvisible --name '^Quit Ringline' windowfocus --sync"
           " key --clearmodifiers alt+q");
  for (guint again = 0; again < 3; again++)
    {
      rl_test_sleep (500);
      if (ringline_exited (f->ringline) || !question_shown ())
        return;
      g_test_message ("the quit question is still up: Alt+Q again");
      xdotool ("search --onlyvisible --name '^Quit Ringline' windowfocus --sync"
               " key --clearmodifiers alt+q");
    }
}

/* Ringline told to go mid-call leaves the line clean: the far end gets a
 * BYE, the registrar an un-REGISTER (sipp checks both), the history the call
 * as hung up here; within 2 s, even when the registrar does not answer.
 * @quit: how the agent or the session says to go; NULL: SIGTERM, as a
 * logout or a shutdown sends */
static void
quit_mid_call (Fixture *f, const char *scenario, void (*quit) (Fixture *f))
{
  guint port = 0;
  g_autoptr (GSubprocess) sipp
    = rl_test_start_sipp (scenario, (const char *const[]){ "-m", "2", NULL }, &port);
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) record = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  const char *reason = NULL;
  gint64 asked;
  double seconds;

  r = call (f, PATH, PHONE, "SetAccount",
            g_variant_new_parsed ("({'servers': <[%s]>, 'username': <'1001'>,"
                                  " 'password': <'lab-secret'>},)",
                                  server),
            &error);
  g_assert_no_error (error);
  wait_prop (f, "RegistrationState", "registered");
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('2000', @a{sv} {})"), &error);
  g_assert_no_error (error);
  g_variant_get (r, "(o)", &path);
  g_variant_unref (wait_event (f, path, "accepted", NULL));
  id = get_string (f, path, CALL, "Id");

  if (quit)
    quit (f);
  asked = g_get_monotonic_time ();
  if (quit == NULL)
    g_subprocess_send_signal (f->ringline, SIGTERM);
  g_assert_true (rl_test_wait (ringline_exited, f->ringline, 10));
  seconds = (g_get_monotonic_time () - asked) / (double) G_USEC_PER_SEC;
  g_test_message ("quit in %.3f s", seconds);
  g_assert_true (g_subprocess_get_if_exited (f->ringline));
  g_assert_cmpint (g_subprocess_get_exit_status (f->ringline), ==, 0);
  g_clear_object (&f->ringline);
  g_assert_cmpfloat (seconds, <, 2.0);

  rl_test_assert_sipp_passed (sipp);
  record = history_record (id);
  g_assert_nonnull (record);
  g_assert_true (g_variant_lookup (record, "reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "local-hangup");
}

static void
test_quit_mid_call (Fixture *f, gconstpointer data)
{
  quit_mid_call (f, "registrar-call-exit.xml", NULL);
}

static void
test_quit_registrar_silent (Fixture *f, gconstpointer data)
{
  quit_mid_call (f, "registrar-silent-exit.xml", NULL);
}

static void
test_quit_from_window (Fixture *f, gconstpointer data)
{
  f->ringline = spawn_ringline_with_window ();
  g_assert_true (rl_test_wait (name_owned, f, 10));
  quit_mid_call (f, "registrar-call-exit.xml", quit_from_window);
}

static gboolean
get_bool (Fixture *f, const char *prop)
{
  g_autoptr (GVariant) v = get_property (f, PATH, PHONE, prop);

  return g_variant_get_boolean (v);
}

typedef struct
{
  Fixture *f;
  gboolean want;
} VisibleWait;

static gboolean
window_visible_is (gpointer data)
{
  VisibleWait *w = data;

  return get_bool (w->f, "WindowVisible") == w->want;
}

static void
wait_window_visible (Fixture *f, gboolean want)
{
  VisibleWait w = { f, want };

  g_assert_true (rl_test_wait (window_visible_is, &w, 10));
}

/* Ctrl+W on the window, typed as X events: GTK's close request. */
static void
close_window_by_keyboard (void)
{
  xdotool ("search --sync --onlyvisible --name '^Ringline$' windowfocus --sync"
           " key --clearmodifiers ctrl+w");
}

/* With the window: closing it hides it, the phone and the call go on, and
 * launching Ringline again shows it; Hide() and Present() do the same over
 * the bus. */
static void
test_close_hides (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GSubprocess) again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *state = NULL;

  f->ringline = spawn_ringline_with_window ();
  g_assert_true (rl_test_wait (name_owned, f, 10));
  wait_window_visible (f, TRUE);
  set_account (f, 0);
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('6000', @a{sv} {})"), &error);
  g_assert_no_error (error);
  g_variant_get (r, "(o)", &path);
  g_variant_unref (wait_event (f, path, "accepted", NULL));

  close_window_by_keyboard ();
  wait_window_visible (f, FALSE);
  rl_test_sleep (500);
  g_assert_true (name_owned (f));
  wait_prop (f, "RegistrationState", "registered");
  state = get_string (f, path, CALL, "State");
  g_assert_cmpstr (state, ==, "accepted");

  /* Launching Ringline again: the running one shows its window. */
  again = spawn_ringline_with_window ();
  g_assert_true (g_subprocess_wait_check (again, NULL, &error));
  g_assert_no_error (error);
  wait_window_visible (f, TRUE);

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Hide", NULL, &error);
  g_assert_no_error (error);
  wait_window_visible (f, FALSE);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Present", NULL, &error);
  g_assert_no_error (error);
  wait_window_visible (f, TRUE);
  g_free (state);
  state = get_string (f, path, CALL, "State");
  g_assert_cmpstr (state, ==, "accepted");
}

typedef struct
{
  Fixture *f;
  guint width, height;
  guint seen_width, seen_height;
} SizeWait;

/* The width asked for, and at least the height: a window is never made
 * smaller than its content needs (SetWindowSize says so). */
static gboolean
window_size_is (gpointer data)
{
  SizeWait *w = data;
  g_autoptr (GVariant) v = get_property (w->f, PATH, PHONE, "WindowSize");

  g_variant_get (v, "(uu)", &w->seen_width, &w->seen_height);
  return w->seen_width == w->width && w->seen_height >= w->height;
}

static void
wait_window_size (Fixture *f, guint width, guint height)
{
  SizeWait w = { f, width, height, 0, 0 };

  if (!rl_test_wait (window_size_is, &w, 15))
    g_error ("WindowSize is (%u, %u), not (%u, %u)", w.seen_width, w.seen_height, width, height);
}

/* A host docks the window: WindowSize follows it, SetWindowSize sets it,
 * down to the seeds' widget size; nonsense sizes are refused. */
static void
test_window_size (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) size = NULL;
  guint width, height;

  f->ringline = spawn_ringline_with_window ();
  g_assert_true (rl_test_wait (name_owned, f, 10));
  wait_window_visible (f, TRUE);
  size = get_property (f, PATH, PHONE, "WindowSize");
  g_variant_get (size, "(uu)", &width, &height);
  g_assert_cmpuint (width, >, 0);
  g_assert_cmpuint (height, >, 0);

  r = call (f, PATH, PHONE, "SetWindowSize", g_variant_new ("(uu)", 0, 460), &error);
  g_assert_cmpstr (g_dbus_error_get_remote_error (error), ==,
                   "org.ringline.Ringline.Error.InvalidArgument");
  g_clear_error (&error);
  r = call (f, PATH, PHONE, "SetWindowSize", g_variant_new ("(uu)", 1100, 700), &error);
  g_assert_no_error (error);
  wait_window_size (f, 1100, 700);
  /* WindowSize says a size as soon as it is asked for; the X server's
   * answer comes after, and an answer to this request arriving after the
   * next one would win over it (the window manager's last word is the
   * window's size). A host resizing twice lets the first land. */
  rl_test_sleep (1000);
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "SetWindowSize", g_variant_new ("(uu)", 256, 460), &error);
  g_assert_no_error (error);
  wait_window_size (f, 256, 460);
}

/* A private bus that starts Ringline as the installed service file does. */
typedef struct
{
  char *dir;
  char *address;
  GSubprocess *daemon;
  GDBusConnection *bus;
} ServiceBus;

static void
service_bus_start (ServiceBus *sb)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *services = NULL;
  g_autofree char *service = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *address = NULL;
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GDataInputStream) out = NULL;

  sb->dir = g_dir_make_tmp ("ringline-bus-XXXXXX", &error);
  g_assert_no_error (error);
  services = g_build_filename (sb->dir, "services", NULL);
  g_assert_cmpint (g_mkdir (services, 0700), ==, 0);
  service = g_strdup_printf ("[D-BUS Service]\nName=%s\nExec=%s --gapplication-service\n", BUS,
                             g_getenv ("RINGLINE_BIN"));
  g_free (config_path);
  config_path = g_build_filename (services, BUS ".service", NULL);
  g_assert_true (g_file_set_contents (config_path, service, -1, NULL));
  config = g_strdup_printf (
    "<busconfig><type>session</type><listen>unix:dir=%s</listen><servicedir>%s</servicedir>"
    "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
    "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>",
    sb->dir, services);
  g_free (config_path);
  config_path = g_build_filename (sb->dir, "bus.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  g_subprocess_launcher_set_child_setup (l, rl_test_die_with_parent, NULL, NULL);
  sb->daemon = g_subprocess_launcher_spawn (l, &error, "dbus-daemon", "--nofork", "--print-address",
                                            "--config-file", config_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sb->daemon));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  sb->address = g_strdup (g_strstrip (address));
  sb->bus = g_dbus_connection_new_for_address_sync (
    sb->address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Stops the Ringline the bus started (SIGTERM, as a logout would), then the
 * bus. */
static void
service_bus_stop (ServiceBus *sb)
{
  g_autoptr (GVariant) pid = g_dbus_connection_call_sync (
    sb->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
    "GetConnectionUnixProcessID", g_variant_new ("(s)", BUS), G_VARIANT_TYPE ("(u)"), 0, 5000, NULL,
    NULL);
  guint32 p = 0;

  if (pid)
    {
      g_variant_get (pid, "(u)", &p);
      kill ((pid_t) p, SIGTERM);
      for (guint i = 0; i < 100 && kill ((pid_t) p, 0) == 0; i++)
        rl_test_sleep (50);
    }
  g_clear_object (&sb->bus);
  g_subprocess_send_signal (sb->daemon, SIGTERM);
  g_subprocess_wait (sb->daemon, NULL, NULL);
  g_clear_object (&sb->daemon);
  rl_test_remove_tree (sb->dir);
  g_free (sb->dir);
  g_free (sb->address);
}

typedef struct
{
  Fixture *f;
  const char *path;
} CallWait;

static gboolean
call_accepted (gpointer data)
{
  CallWait *w = data;
  g_autofree char *state = get_string (w->f, w->path, CALL, "State");

  return g_str_equal (state, "accepted");
}

/* Ringline started by a CRM's first call (D-Bus activation) stays on the
 * bus and serves calls long after GApplication's 10 s idle limit. */
static void
test_activation_stays (Fixture *f, gconstpointer data)
{
  ServiceBus sb = { 0 };
  GDBusConnection *session = f->bus;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autofree char *path = NULL;

  service_bus_start (&sb);
  f->bus = sb.bus;
  /* The first call starts it. */
  r = call (f, PATH, PHONE, "SetAccount",
            g_variant_new ("(@a{sv})", rl_test_lab_account_settings (lab, 0, NULL)), &error);
  g_assert_no_error (error);
  wait_prop (f, "RegistrationState", "registered");
  rl_test_sleep (30 * 1000);
  g_assert_true (name_owned (f));
  g_clear_pointer (&r, g_variant_unref);
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('6000', @a{sv} {})"), &error);
  g_assert_no_error (error);
  g_variant_get (r, "(o)", &path);
  g_assert_true (rl_test_wait (call_accepted, &(CallWait){ f, path }, 15));
  service_bus_stop (&sb);
  f->bus = session;
}

#define NOTIFY_BUS "org.freedesktop.Notifications"
#define NOTIFY_PATH "/org/freedesktop/Notifications"

static gboolean
notifications_owned (gpointer data)
{
  return bus_has_owner (((Fixture *) data)->bus, NOTIFY_BUS);
}

/* python3-dbusmock with @args on the test's bus, once it owns its name
 * (@owned tells). It records every call made to it. */
static GSubprocess *
spawn_dbusmock (Fixture *f, const char *const *args, gboolean (*owned) (gpointer data))
{
  /* Its output would mix with this test's TAP. */
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GStrvBuilder) argv = g_strv_builder_new ();
  g_auto (GStrv) full = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *mock;

  g_strv_builder_add_many (argv, "/usr/bin/python3", "-m", "dbusmock", NULL);
  g_strv_builder_addv (argv, (const char **) args);
  full = g_strv_builder_end (argv);
  g_subprocess_launcher_set_child_setup (l, rl_test_die_with_parent, NULL, NULL);
  mock = g_subprocess_launcher_spawnv (l, (const char *const *) full, &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (owned, f, 15));
  return mock;
}

/* A real org.freedesktop.Notifications on the test's bus: python3-dbusmock's
 * notification daemon. */
static GSubprocess *
start_notification_daemon (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *mock
    = spawn_dbusmock (f,
                      (const char *const[]){ "--template", "notification_daemon", "--parameters",
                                             "{\"capabilities\": \"body actions\"}", NULL },
                      notifications_owned);

  /* The template declares CloseNotification's id signed; the specification
   * (and GLib) say unsigned. */
  g_variant_unref (g_dbus_connection_call_sync (
    f->bus, NOTIFY_BUS, NOTIFY_PATH, "org.freedesktop.DBus.Mock", "AddMethod",
    g_variant_new ("(sssss)", NOTIFY_BUS, "CloseNotification", "u", "", ""), NULL, 0, 5000, NULL,
    &error));
  g_assert_no_error (error);
  return mock;
}

/* The @n-th (from 0) call named @method a python3-dbusmock object at @bus
 * and @path received, as its arguments; NULL when there is none yet. */
static GVariant *
mock_call (Fixture *f, const char *bus, const char *path, const char *method, guint n)
{
  g_autoptr (GVariant) r
    = g_dbus_connection_call_sync (f->bus, bus, path, "org.freedesktop.DBus.Mock", "GetCalls", NULL,
                                   G_VARIANT_TYPE ("(a(tsav))"), 0, 5000, NULL, NULL);
  g_autoptr (GVariant) calls = r ? g_variant_get_child_value (r, 0) : NULL;

  for (gsize i = 0; calls && i < g_variant_n_children (calls); i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (calls, i);
      const char *name;
      GVariant *args;

      g_variant_get (entry, "(t&s@av)", NULL, &name, &args);
      if (g_str_equal (name, method) && n-- == 0)
        return args;
      g_variant_unref (args);
    }
  return NULL;
}

static GVariant *
daemon_call (Fixture *f, const char *method, guint n)
{
  return mock_call (f, NOTIFY_BUS, NOTIFY_PATH, method, n);
}

/* The argument @index of a recorded call, unboxed. */
static GVariant *
mock_arg (GVariant *args, guint index)
{
  g_autoptr (GVariant) boxed = g_variant_get_child_value (args, index);

  return g_variant_get_variant (boxed);
}

typedef struct
{
  Fixture *f;
  const char *method;
  guint n;
} DaemonWait;

static gboolean
daemon_called (gpointer data)
{
  DaemonWait *w = data;
  g_autoptr (GVariant) args = daemon_call (w->f, w->method, w->n);

  return args != NULL;
}

static GVariant *
wait_daemon_call (Fixture *f, const char *method, guint n)
{
  g_assert_true (rl_test_wait (daemon_called, &(DaemonWait){ f, method, n }, 15));
  return daemon_call (f, method, n);
}

/* The action key of the button labelled @label in a Notify's arguments. */
static char *
button_key (GVariant *notify, const char *label)
{
  g_autoptr (GVariant) actions = mock_arg (notify, 5);
  g_autofree const char **strv = g_variant_get_strv (actions, NULL);

  for (guint i = 0; strv[i] && strv[i + 1]; i += 2)
    if (g_str_equal (strv[i + 1], label))
      return g_strdup (strv[i]);
  return NULL;
}

/* A ringing call, with the window nowhere: a desktop notification with
 * Answer and Decline; Answer there answers it (the server closes a
 * notification whose action was invoked). A call whose caller gives up has
 * its notification withdrawn and leaves a Missed call one. */
static void
test_ringing_notification (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) mock = start_notification_daemon (f);
  g_autoptr (GVariant) ringing = NULL;
  g_autoptr (GVariant) notify = NULL;
  g_autoptr (GVariant) summary = NULL;
  g_autoptr (GVariant) hints = NULL;
  g_autoptr (GVariant) closed = NULL;
  g_autoptr (GVariant) missed = NULL;
  g_autoptr (GVariant) missed_summary = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autofree char *path = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *call_back = NULL;
  g_autoptr (GError) error = NULL;
  const char *category = NULL;
  guint8 urgency = 0;

  set_account (f, 1);
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  ringing = wait_event (f, NULL, "ringing", &path);
  notify = wait_daemon_call (f, "Notify", 0);
  summary = mock_arg (notify, 3);
  g_assert_cmpstr (g_variant_get_string (summary, NULL), ==, "Incoming call");
  hints = mock_arg (notify, 6);
  g_assert_true (g_variant_lookup (hints, "urgency", "y", &urgency));
  g_assert_cmpuint (urgency, ==, 2);
  g_assert_true (g_variant_lookup (hints, "category", "&s", &category));
  g_assert_cmpstr (category, ==, "call.incoming");
  g_assert_nonnull (button_key (notify, "Decline"));
  answer = button_key (notify, "Answer");
  g_assert_nonnull (answer);

  /* The daemon numbers notifications from 1: this is the first. */
  r = g_dbus_connection_call_sync (
    f->bus, NOTIFY_BUS, NOTIFY_PATH, "org.freedesktop.DBus.Mock", "EmitSignal",
    g_variant_new_parsed ("(%s, 'ActionInvoked', 'us', [<%u>, <%s>])", NOTIFY_BUS, (guint32) 1,
                          answer),
    NULL, 0, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "accepted", NULL));
  rl_test_lab_caller_hangup (lab);
  g_variant_unref (wait_event (f, path, "terminated", NULL));

  /* Rings, and the caller gives up. */
  g_ptr_array_set_size (f->events, 0);
  g_clear_pointer (&path, g_free);
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  g_variant_unref (wait_event (f, NULL, "ringing", &path));
  g_variant_unref (wait_daemon_call (f, "Notify", 1));
  rl_test_lab_caller_hangup (lab);
  g_variant_unref (wait_event (f, path, "terminated", NULL));
  closed = wait_daemon_call (f, "CloseNotification", 0);
  {
    g_autoptr (GVariant) id = mock_arg (closed, 0);

    g_assert_cmpuint (g_variant_get_uint32 (id), ==, 2);
  }
  missed = wait_daemon_call (f, "Notify", 2);
  missed_summary = mock_arg (missed, 3);
  g_assert_cmpstr (g_variant_get_string (missed_summary, NULL), ==, "Missed call");
  call_back = button_key (missed, "Call back");
  g_assert_nonnull (call_back);

  g_subprocess_send_signal (mock, SIGTERM);
  g_subprocess_wait (mock, NULL, NULL);
}

#define SM_BUS "org.gnome.SessionManager"
#define SM_PATH "/org/gnome/SessionManager"

static gboolean
session_manager_owned (gpointer data)
{
  return bus_has_owner (((Fixture *) data)->bus, SM_BUS);
}

static GVariant *
sm_call (Fixture *f, const char *method, guint n)
{
  return mock_call (f, SM_BUS, SM_PATH, method, n);
}

typedef struct
{
  Fixture *f;
  const char *method;
} SmWait;

static gboolean
sm_called (gpointer data)
{
  SmWait *w = data;
  g_autoptr (GVariant) args = sm_call (w->f, w->method, 0);

  return args != NULL;
}

#define SM_CLIENT "/org/gnome/SessionManager/Client1"

/* GNOME's session manager, as python3-dbusmock standing in for it: it takes
 * inhibitions and registers the application as a client, which it can tell
 * to end (EndSession). GTK looks for it when the application starts. */
static GSubprocess *
start_session_manager (Fixture *f)
{
  GSubprocess *mock = spawn_dbusmock (f, (const char *const[]){ SM_BUS, SM_PATH, SM_BUS, NULL },
                                      session_manager_owned);
  g_autoptr (GError) error = NULL;

  g_variant_unref (
    g_dbus_connection_call_sync (f->bus, SM_BUS, SM_PATH, "org.freedesktop.DBus.Mock", "AddMethods",
                                 g_variant_new_parsed ("(%s, [('Inhibit', 'susu', 'u', 'ret = 42'),"
                                                       " ('Uninhibit', 'u', '', ''),"
                                                       " ('RegisterClient', 'ss', 'o', %s),"
                                                       " ('UnregisterClient', 'o', '', '')])",
                                                       SM_BUS, "ret = '" SM_CLIENT "'"),
                                 NULL, 0, 5000, NULL, &error));
  g_assert_no_error (error);
  g_variant_unref (g_dbus_connection_call_sync (
    f->bus, SM_BUS, SM_PATH, "org.freedesktop.DBus.Mock", "AddObject",
    g_variant_new_parsed ("(%o, 'org.gnome.SessionManager.ClientPrivate', @a{sv} {},"
                          " [('EndSessionResponse', 'bs', '', '')])",
                          SM_CLIENT),
    NULL, 0, 5000, NULL, &error));
  g_assert_no_error (error);
  return mock;
}

/* A call holds off suspend and logout, through the session manager (GNOME's
 * org.gnome.SessionManager; here python3-dbusmock standing in for it, which
 * records the calls), with a reason naming the call; the end of the last
 * call lets them go. */
static void
test_inhibit_during_calls (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) mock = start_session_manager (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) r = NULL;
  g_autoptr (GVariant) inhibit = NULL;
  g_autoptr (GVariant) reason = NULL;
  g_autoptr (GVariant) flags = NULL;
  g_autoptr (GVariant) uninhibit = NULL;
  g_autoptr (GVariant) cookie = NULL;
  g_autofree char *path = NULL;

  start (f, NULL);
  set_account (f, 0);
  r = call (f, PATH, PHONE, "Dial", g_variant_new_parsed ("('6000', @a{sv} {})"), &error);
  g_assert_no_error (error);
  g_variant_get (r, "(o)", &path);
  g_variant_unref (wait_event (f, path, "accepted", NULL));
  g_assert_true (rl_test_wait (sm_called, &(SmWait){ f, "Inhibit" }, 10));
  inhibit = sm_call (f, "Inhibit", 0);
  reason = mock_arg (inhibit, 2);
  g_assert_nonnull (strstr (g_variant_get_string (reason, NULL), "6000"));
  flags = mock_arg (inhibit, 3);
  /* GTK's logout (1) and suspend (4) flags. */
  g_assert_cmpuint (g_variant_get_uint32 (flags) & 5, ==, 5);
  g_assert_null (sm_call (f, "Uninhibit", 0));

  g_clear_pointer (&r, g_variant_unref);
  r = call (f, path, CALL, "Hangup", NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (wait_event (f, path, "terminated", NULL));
  g_assert_true (rl_test_wait (sm_called, &(SmWait){ f, "Uninhibit" }, 10));
  uninhibit = sm_call (f, "Uninhibit", 0);
  cookie = mock_arg (uninhibit, 0);
  g_assert_cmpuint (g_variant_get_uint32 (cookie), ==, 42);
  stop (f);
  g_subprocess_send_signal (mock, SIGTERM);
  g_subprocess_wait (mock, NULL, NULL);
}

/* Phone1's @prop going through @first and then @then, from
 * PropertiesChanged: a poll could miss the passing state. */
typedef struct
{
  const char *prop;
  const char *first;
  const char *then;
  guint seen; /* 1: @first seen, 2: then @then */
} PropSequence;

static void
on_prop_sequence (GDBusConnection *c, const char *sender, const char *path, const char *iface,
                  const char *signal, GVariant *params, gpointer data)
{
  PropSequence *w = data;
  g_autoptr (GVariant) changed = g_variant_get_child_value (params, 1);
  const char *state = NULL;

  if (!g_variant_lookup (changed, w->prop, "&s", &state))
    return;
  if (w->seen == 0 && g_str_equal (state, w->first))
    w->seen = 1;
  else if (w->seen == 1 && g_str_equal (state, w->then))
    w->seen = 2;
}

static gboolean
prop_sequence_done (gpointer data)
{
  return ((PropSequence *) data)->seen == 2;
}

/* Returns: the subscription, for g_dbus_connection_signal_unsubscribe() */
static guint
watch_prop_sequence (Fixture *f, PropSequence *w)
{
  return g_dbus_connection_signal_subscribe (f->bus, BUS, "org.freedesktop.DBus.Properties",
                                             "PropertiesChanged", PATH, PHONE, 0, on_prop_sequence,
                                             w, NULL);
}

static gboolean
logind_owned (gpointer data)
{
  return bus_has_owner (((ServiceBus *) data)->bus, "org.freedesktop.login1");
}

static void
emit_prepare_for_sleep (ServiceBus *system, gboolean sleeping)
{
  g_autoptr (GError) error = NULL;

  g_variant_unref (g_dbus_connection_call_sync (
    system->bus, "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.DBus.Mock",
    "EmitSignal",
    g_variant_new_parsed ("('org.freedesktop.login1.Manager', 'PrepareForSleep', 'b', [<%b>])",
                          sleeping),
    NULL, 0, 5000, NULL, &error));
  g_assert_no_error (error);
}

/* The machine wakes up (logind's PrepareForSleep(false), from
 * python3-dbusmock's logind on a private system bus): Ringline registers
 * again at once, not when the registration interval ends. */
static void
test_resume_registers (Fixture *f, gconstpointer data)
{
  ServiceBus system = { 0 };
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GSubprocess) logind = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *address = NULL;
  PropSequence w = { "RegistrationState", "registering", "registered" };
  guint sub;
  gint64 woke;

  service_bus_start (&system);
  address = g_strdup (system.address);
  g_subprocess_launcher_setenv (l, "DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  g_subprocess_launcher_set_child_setup (l, rl_test_die_with_parent, NULL, NULL);
  logind = g_subprocess_launcher_spawn (l, &error, "/usr/bin/python3", "-m", "dbusmock", "--system",
                                        "--template", "logind", NULL);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (logind_owned, &system, 15));
  start (f, (const char *const[]){ "DBUS_SYSTEM_BUS_ADDRESS", address, NULL });
  set_account (f, 0);
  /* Ringline subscribes as it starts; give it that moment. */
  rl_test_sleep (500);
  sub = watch_prop_sequence (f, &w);
  emit_prepare_for_sleep (&system, TRUE);
  rl_test_sleep (300);
  emit_prepare_for_sleep (&system, FALSE);
  woke = g_get_monotonic_time ();
  g_assert_true (rl_test_wait (prop_sequence_done, &w, 10));
  g_test_message ("registered again %.2f s after resume",
                  (g_get_monotonic_time () - woke) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - woke, <, 3 * G_USEC_PER_SEC);
  g_dbus_connection_signal_unsubscribe (f->bus, sub);
  stop (f);
  g_subprocess_send_signal (logind, SIGTERM);
  g_subprocess_wait (logind, NULL, NULL);
  service_bus_stop (&system);
}

static gboolean
engine_running (gpointer data)
{
  g_autofree char *state = get_string (data, PATH, PHONE, "EngineState");

  return g_str_equal (state, "running");
}

/* The network changes under Ringline (a new address, the old one gone, as
 * from Wi-Fi to VPN), in a network namespace of the test's own: baresip's
 * address is gone, so Ringline starts a new baresip, which takes the new
 * one. */
static void
test_address_change_restarts (Fixture *f, gconstpointer data)
{
  g_autofree char *ns = g_strdup_printf ("ringline-test-%d", getpid ());
  g_autofree char *cmd = NULL;
  PropSequence w = { "EngineState", "restarting", "running" };
  const char *const any_address[] = { "RINGLINE_SIP_LISTEN", "0.0.0.0", NULL };
  guint sub;

#define NS(...)                                                                                    \
  do                                                                                               \
    {                                                                                              \
      g_free (cmd);                                                                                \
      cmd = g_strdup_printf (__VA_ARGS__);                                                         \
      run (cmd);                                                                                   \
    }                                                                                              \
  while (0)
  NS ("ip netns add %s", ns);
  NS ("ip -n %s link set lo up", ns);
  /* A veth pair inside the namespace: the kernel may lack the dummy driver. */
  NS ("ip -n %s link add d0 type veth peer name d1", ns);
  NS ("ip -n %s addr add 10.99.0.1/24 dev d0", ns);
  NS ("ip -n %s link set d1 up", ns);
  NS ("ip -n %s link set d0 up", ns);
  NS ("ip -n %s route add default dev d0", ns);
  /* On every address, as on an agent's desktop: bound to loopback, the
   * engine would have no address to lose. */
  f->ringline = spawn_ringline_in (ns, TRUE, any_address, NULL);
  g_assert_true (rl_test_wait (name_owned, f, 15));
  g_assert_true (rl_test_wait (engine_running, f, 15));
  /* baresip has said which address it took. */
  rl_test_sleep (1000);
  sub = watch_prop_sequence (f, &w);
  NS ("ip -n %s addr add 10.99.0.2/24 dev d0", ns);
  NS ("ip -n %s addr del 10.99.0.1/24 dev d0", ns);
  NS ("ip -n %s route replace default dev d0", ns);
  g_assert_true (rl_test_wait (prop_sequence_done, &w, 15));
  g_dbus_connection_signal_unsubscribe (f->bus, sub);
  stop (f);
  NS ("ip netns delete %s", ns);
#undef NS
}

/* The session ends (logout): the session manager tells its client to end. */
static void
end_session (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  g_variant_unref (g_dbus_connection_call_sync (
    f->bus, SM_BUS, SM_CLIENT, "org.freedesktop.DBus.Mock", "EmitSignal",
    g_variant_new_parsed ("('org.gnome.SessionManager.ClientPrivate', 'EndSession', 'u', [<%u>])",
                          (guint32) 0),
    NULL, 0, 5000, NULL, &error));
  g_assert_no_error (error);
}

static void
test_quit_session_end (Fixture *f, gconstpointer data)
{
  g_autoptr (GSubprocess) mock = start_session_manager (f);

  f->ringline = spawn_ringline_with_window ();
  g_assert_true (rl_test_wait (name_owned, f, 10));
  quit_mid_call (f, "registrar-call-exit.xml", end_session);
  g_subprocess_send_signal (mock, SIGTERM);
  g_subprocess_wait (mock, NULL, NULL);
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  rl_test_setup_env ();
  lab = rl_test_lab_start ();
#define ADD(path, func, data) g_test_add (path, Fixture, data, setup, func, teardown)
  ADD ("/dbus/bad-arguments", test_bad_arguments, NULL);
  ADD ("/dbus/outgoing-echo", test_outgoing_echo, NULL);
  ADD ("/dbus/incoming-answer", test_incoming_answer, NULL);
  ADD ("/dbus/call-control", test_call_control, NULL);
  ADD ("/dbus/busy", test_busy, NULL);
  ADD ("/dbus/contacts", test_contacts, NULL);
  ADD ("/dbus/screen-pop", test_screen_pop, "no-start");
  ADD ("/dbus/tokens-to-host", test_tokens_to_host, NULL);
  ADD ("/dbus/caller-ids", test_caller_ids, NULL);
  ADD ("/dbus/theme", test_theme, NULL);
  ADD ("/dbus/tokens-by-host", test_tokens_by_host, NULL);
  ADD ("/dbus/agent-members", test_agent_members, NULL);
  ADD ("/dbus/auth-failed", test_auth_failed, NULL);
  ADD ("/dbus/link-forwarded", test_link_forwarded, NULL);
  ADD ("/dbus/link-vectors", test_link_vectors, NULL);
  ADD ("/dbus/missing-baresip", test_missing_baresip, "no-start");
  ADD ("/dbus/no-audio-device", test_no_audio_device, "no-start");
  ADD ("/dbus/no-core-dumps", test_no_core_dumps, "no-start");
  ADD ("/dbus/restart-keeps-account", test_restart_keeps_account, "no-start");
  ADD ("/dbus/quit-mid-call", test_quit_mid_call, NULL);
  ADD ("/dbus/quit-registrar-silent", test_quit_registrar_silent, NULL);
  ADD ("/dbus/quit-from-window", test_quit_from_window, "no-start");
  ADD ("/dbus/quit-session-end", test_quit_session_end, "no-start");
  ADD ("/dbus/close-hides", test_close_hides, "no-start");
  ADD ("/dbus/window-size", test_window_size, "no-start");
  ADD ("/dbus/activation-stays", test_activation_stays, "no-start");
  ADD ("/dbus/ringing-notification", test_ringing_notification, NULL);
  ADD ("/dbus/inhibit-during-calls", test_inhibit_during_calls, "no-start");
  ADD ("/dbus/resume-registers", test_resume_registers, "no-start");
  ADD ("/dbus/address-change-restarts", test_address_change_restarts, "no-start");
#undef ADD
  g_test_add_func ("/dbus/no-password-in-logs", test_no_password_in_logs);
  ret = g_test_run ();
  rl_test_lab_stop (lab);
  return ret;
}
