/* rl-autostart.c
 *
 * Follows the start-at-login setting. Outside a sandbox it writes or removes
 * $XDG_CONFIG_HOME/autostart/APP_ID.desktop (asynchronously: no disk I/O on
 * the main loop); inside the Flatpak, which cannot write there, it asks the
 * Background portal, which keeps the autostart entry itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlAutostart"

#include "config.h"

#include "rl-autostart.h"

#define ENTRY                                                                                      \
  "[Desktop Entry]\n"                                                                              \
  "Type=Application\n"                                                                             \
  "Name=Ringline\n"                                                                                \
  "Comment=Softphone for call center agents, ready for calls from login\n"                         \
  "Exec=ringline --headless\n"                                                                     \
  "Icon=" APP_ID "\n"                                                                              \
  "X-GNOME-Autostart-enabled=true\n"

struct _RlAutostart
{
  GObject parent_instance;

  GSettings *settings;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (RlAutostart, rl_autostart, G_TYPE_OBJECT)

static GFile *
entry_file (void)
{
  g_autofree char *path
    = g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);

  return g_file_new_for_path (path);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot set Ringline to start at login: %s", error->message);
}

static void
on_removed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot stop Ringline starting at login: %s", error->message);
}

static void
on_dir_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlAutostart) self = user_data;
  g_autoptr (GFile) file = entry_file ();

  /* An existing directory is an error here, and no obstacle. */
  g_file_make_directory_finish (G_FILE (source), result, NULL);
  g_file_replace_contents_async (file, ENTRY, sizeof ENTRY - 1, NULL, FALSE,
                                 G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable, on_written,
                                 NULL);
}

static void
write_entry (RlAutostart *self, gboolean wanted)
{
  g_autoptr (GFile) file = entry_file ();
  g_autoptr (GFile) dir = g_file_get_parent (file);

  if (wanted)
    g_file_make_directory_async (dir, G_PRIORITY_DEFAULT, self->cancellable, on_dir_made,
                                 g_object_ref (self));
  else
    g_file_delete_async (file, G_PRIORITY_DEFAULT, self->cancellable, on_removed, NULL);
}

static void
on_portal_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply
    = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The Background portal refused: %s", error->message);
}

static void
ask_portal (RlAutostart *self, gboolean wanted)
{
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  GVariantBuilder options;
  const char *command[] = { "ringline", "--headless", NULL };

  if (bus == NULL)
    return;
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string ("Take calls from the moment you log in"));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (wanted));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (command, -1));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), NULL, G_DBUS_CALL_FLAGS_NONE,
                          -1, self->cancellable, on_portal_reply, NULL);
  g_object_unref (bus);
}

static void
apply (RlAutostart *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "start-at-login");

  /* A quick off-on-off must not end with the first write landing last. */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* GTK_USE_PORTAL=1 asks for portals outside a sandbox too, as GTK does. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS)
      || g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0)
    ask_portal (self, wanted);
  else
    write_entry (self, wanted);
}

static void
rl_autostart_dispose (GObject *object)
{
  RlAutostart *self = RL_AUTOSTART (object);

  g_cancellable_cancel (self->cancellable);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rl_autostart_parent_class)->dispose (object);
}

static void
rl_autostart_class_init (RlAutostartClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_autostart_dispose;
}

static void
rl_autostart_init (RlAutostart *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Acts on changes of the setting from now on; the entry or the portal keeps
 * what was chosen before. */
RlAutostart *
rl_autostart_new (GSettings *settings)
{
  RlAutostart *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RL_TYPE_AUTOSTART, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_swapped (settings, "changed::start-at-login", G_CALLBACK (apply), self);
  /* GSettings announces changes only of keys read since a handler came. */
  g_settings_get_boolean (settings, "start-at-login");
  return self;
}
