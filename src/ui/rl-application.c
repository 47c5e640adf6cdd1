/* rl-application.c
 *
 * Ringline with a display: one instance; links given on the command line or
 * by the desktop reach the running instance and fill in (or dial) the
 * number. Started headless (--headless, or by D-Bus activation) it shows no
 * window until it is activated again, by launching Ringline or by the
 * desktop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlApplication"

#include "config.h"

#include "rl-application.h"
#include "rl-service-host.h"
#include "rl-target.h"
#include "rl-window.h"

#include <glib/gi18n.h>

#include "rl-resources.h"

struct _RlApplication
{
  AdwApplication parent_instance;

  RlServiceHost *host;
  RlCore *core;          /* the host's */
  gboolean headless;     /* started with --headless */
  guint inhibit_cookie;  /* suspend and logout, while calls are up */
  gboolean start_hidden; /* --headless: the first activation shows nothing */
};

G_DEFINE_FINAL_TYPE (RlApplication, rl_application, ADW_TYPE_APPLICATION)

static void on_window_visible (GtkWindow *window, GParamSpec *pspec, RlApplication *self);
static void on_window_size (GtkWindow *window, GParamSpec *pspec, RlApplication *self);

/* Returns: (nullable): the main window, if it exists (dialogs may be the
 * application's windows too) */
static RlWindow *
find_window (RlApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (RL_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static RlWindow *
get_window (RlApplication *self)
{
  RlWindow *window = find_window (self);

  if (window == NULL)
    {
      window = rl_window_new (GTK_APPLICATION (self), self->core);
      g_signal_connect_object (window, "notify::visible", G_CALLBACK (on_window_visible), self, 0);
      g_signal_connect_object (window, "notify::default-width", G_CALLBACK (on_window_size), self,
                               0);
      g_signal_connect_object (window, "notify::default-height", G_CALLBACK (on_window_size), self,
                               0);
      /* Docked beside a CRM: the seeds' widget size. */
      if (g_settings_get_boolean (rl_core_get_settings (self->core), "compact"))
        rl_window_resize (window, 256, 460);
      on_window_size (GTK_WINDOW (window), NULL, self);
    }
  return window;
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gtk_widget_activate_action (GTK_WIDGET (get_window (user_data)), "win.preferences", NULL);
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  RlApplication *self = user_data;
  const char *developers[] = { "The Ringline developers", NULL };
  GtkWidget *parent = GTK_WIDGET (get_window (self));
  /* libadwaita 1.5 replaced the window with a dialog; Debian has 1.2, the
   * Flatpak's runtime the newer one. Both take the same properties. */
#if ADW_CHECK_VERSION(1, 5, 0)
  GObject *about = G_OBJECT (adw_about_dialog_new ());
#else
  GObject *about = G_OBJECT (adw_about_window_new ());
#endif

  g_object_set (about, "application-name", "Ringline", "application-icon", APP_ID, "version",
                PACKAGE_VERSION, "developer-name", "The Ringline developers", "developers",
                developers, "license-type", GTK_LICENSE_GPL_3_0, "comments",
                _ ("Softphone for call center agents"), NULL);
#if ADW_CHECK_VERSION(1, 5, 0)
  adw_dialog_present (ADW_DIALOG (about), parent);
#else
  gtk_window_set_transient_for (GTK_WINDOW (about), GTK_WINDOW (parent));
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static guint
live_calls (RlApplication *self)
{
  return g_list_model_get_n_items (rl_phone_get_calls (rl_core_get_phone (self->core)));
}

/* @dialog: an AdwAlertDialog, or an AdwMessageDialog before libadwaita 1.5 */
static void
on_quit_response (gpointer dialog, const char *response, gpointer user_data)
{
  g_debug ("quit question answered: %s", response);
  if (g_str_equal (response, "quit"))
    g_application_quit (G_APPLICATION (user_data));
}

/* Quitting ends the calls (rl_core_shutdown()): with calls up, the agent
 * says so first. */
static void
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  RlApplication *self = user_data;
  guint n = live_calls (self);
  GtkWindow *window;
  g_autofree char *body = NULL;

  g_debug ("quit asked with %u calls up", n);
  if (n == 0)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }
  window = GTK_WINDOW (get_window (self));
  gtk_window_present (window);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The call in progress will be hung up.",
                                       "The %u calls in progress will be hung up.", n),
                          n);
#if ADW_CHECK_VERSION(1, 5, 0)
  {
    AdwAlertDialog *dialog = ADW_ALERT_DIALOG (adw_alert_dialog_new (_ ("Quit Ringline?"), body));

    adw_alert_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "quit", _ ("_Quit"), NULL);
    adw_alert_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
    adw_alert_dialog_set_default_response (dialog, "cancel");
    adw_alert_dialog_set_close_response (dialog, "cancel");
    g_signal_connect (dialog, "response", G_CALLBACK (on_quit_response), self);
    adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (window));
  }
#else
  {
    AdwMessageDialog *dialog
      = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _ ("Quit Ringline?"), body));

    /* Window lists and screen readers name the question by its title. */
    gtk_window_set_title (GTK_WINDOW (dialog), _ ("Quit Ringline?"));
    adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "quit", _ ("_Quit"), NULL);
    adw_message_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
    adw_message_dialog_set_default_response (dialog, "cancel");
    adw_message_dialog_set_close_response (dialog, "cancel");
    g_signal_connect (dialog, "response", G_CALLBACK (on_quit_response), self);
    gtk_window_present (GTK_WINDOW (dialog));
  }
#endif
}

static void
present_window_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gtk_window_present (GTK_WINDOW (get_window (user_data)));
}

static void
hide_window_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  RlWindow *window = find_window (user_data);

  if (window)
    gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
}

/* Its state follows the window; activating it does nothing (use the two
 * actions above). */
static void
window_visible_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
}

/* Its state follows the window's size; changing it resizes the window. */
static void
window_size_change (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  guint width, height;

  g_variant_get (value, "(uu)", &width, &height);
  rl_window_resize (get_window (user_data), (int) width, (int) height);
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
  { "present-window", present_window_action },
  { "hide-window", hide_window_action },
  { "window-visible", window_visible_action, NULL, "false" },
  { "window-size", NULL, NULL, "(uint32 0, uint32 0)", window_size_change },
};

static void
on_window_visible (GtkWindow *window, GParamSpec *pspec, RlApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "window-visible");

  g_debug ("window %s", gtk_widget_get_visible (GTK_WIDGET (window)) ? "shown" : "hidden");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (gtk_widget_get_visible (GTK_WIDGET (window))));
}

static void
on_window_size (GtkWindow *window, GParamSpec *pspec, RlApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "window-size");
  int width = 0, height = 0;

  gtk_window_get_default_size (window, &width, &height);
  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new ("(uu)", MAX (width, 0), MAX (height, 0)));
}

/* Suspend or logout would cut the customer off: they wait while calls are
 * up, with a reason that names the call. */
static void
update_inhibit (RlApplication *self)
{
  GListModel *calls = rl_phone_get_calls (rl_core_get_phone (self->core));
  g_autoptr (RlCall) first = g_list_model_get_item (calls, 0);
  g_autofree char *reason = NULL;

  if (first == NULL && self->inhibit_cookie)
    {
      gtk_application_uninhibit (GTK_APPLICATION (self), self->inhibit_cookie);
      self->inhibit_cookie = 0;
    }
  if (first == NULL || self->inhibit_cookie)
    return;
  reason = g_strdup_printf (_ ("A call with %s is in progress"),
                            *rl_call_get_remote_name (first) ? rl_call_get_remote_name (first)
                                                             : rl_call_get_remote_number (first));
  self->inhibit_cookie = gtk_application_inhibit (
    GTK_APPLICATION (self), NULL, GTK_APPLICATION_INHIBIT_LOGOUT | GTK_APPLICATION_INHIBIT_SUSPEND,
    reason);
}

/* Ringing takes the focus only when the agent asked for it; otherwise the
 * notification (RlCallNotifier) is the news. */
static void
on_call_state (RlApplication *self, RlCall *call)
{
  if (rl_call_is_ringing_in (call)
      && g_settings_get_boolean (rl_core_get_settings (self->core), "raise-on-incoming"))
    gtk_window_present (GTK_WINDOW (get_window (self)));
}

static void
rl_application_startup (GApplication *app)
{
  RlApplication *self = RL_APPLICATION (app);

  G_APPLICATION_CLASS (rl_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]){ "<Ctrl>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]){ "<Ctrl>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]){ "<Ctrl>w", NULL });
#if ADW_CHECK_VERSION(1, 8, 0)
  /* GTK gives its shortcuts window this key; the dialog that replaces it
   * takes it over. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.shortcuts",
                                         (const char *[]){ "<Ctrl>question", NULL });
#endif
  /* A window is coming (not a service, not --headless): the engine starts
   * once it is on screen. */
  if (!self->headless && !(g_application_get_flags (app) & G_APPLICATION_IS_SERVICE))
    rl_core_hold_background (self->core);
  rl_service_host_startup (self->host);
  g_signal_connect_object (rl_core_get_phone (self->core), "call-state-changed",
                           G_CALLBACK (on_call_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (rl_core_get_phone (self->core), "call-added",
                           G_CALLBACK (update_inhibit), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (rl_core_get_phone (self->core), "call-removed",
                           G_CALLBACK (update_inhibit), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  /* Asked for explicitly: it runs until told to quit, account or not. */
  if (self->start_hidden)
    g_application_hold (app);
}

static void
rl_application_activate (GApplication *app)
{
  RlApplication *self = RL_APPLICATION (app);

  /* g_application_run()'s own activation, in the instance started headless. */
  if (self->start_hidden)
    {
      self->start_hidden = FALSE;
      return;
    }
  g_debug ("activated: presenting the window");
  gtk_window_present (GTK_WINDOW (get_window (self)));
}

static void
rl_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  RlApplication *self = RL_APPLICATION (app);
  RlWindow *window;

  /* Started for automation, it dials what it is handed, as it always has;
   * with the window, the agent sees the number first unless they chose
   * otherwise. */
  if (self->headless
      || g_settings_get_boolean (rl_core_get_settings (self->core), "links-dial-immediately"))
    {
      rl_service_host_dial_links (self->host, files, n_files);
      if (!self->headless)
        gtk_window_present (GTK_WINDOW (get_window (self)));
      return;
    }
  window = get_window (self);
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < n_files; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autofree char *target = rl_target_from_link (uri, &error);

      if (target)
        rl_window_set_number (window, target);
      else
        rl_window_show_toast (window, error->message);
    }
}

static gboolean
rl_application_dbus_register (GApplication *app, GDBusConnection *connection,
                              const char *object_path, GError **error)
{
  return G_APPLICATION_CLASS (rl_application_parent_class)
           ->dbus_register (app, connection, object_path, error)
         && rl_service_host_dbus_register (RL_APPLICATION (app)->host, connection, object_path,
                                           error);
}

static void
rl_application_dbus_unregister (GApplication *app, GDBusConnection *connection,
                                const char *object_path)
{
  rl_service_host_dbus_unregister (RL_APPLICATION (app)->host);
  G_APPLICATION_CLASS (rl_application_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
rl_application_shutdown (GApplication *app)
{
  rl_service_host_shutdown (RL_APPLICATION (app)->host);
  G_APPLICATION_CLASS (rl_application_parent_class)->shutdown (app);
}

static void
rl_application_finalize (GObject *object)
{
  g_clear_object (&RL_APPLICATION (object)->host);
  G_OBJECT_CLASS (rl_application_parent_class)->finalize (object);
}

static void
rl_application_class_init (RlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rl_application_finalize;
  rl_register_resource ();
  app_class->startup = rl_application_startup;
  app_class->activate = rl_application_activate;
  app_class->open = rl_application_open;
  app_class->dbus_register = rl_application_dbus_register;
  app_class->dbus_unregister = rl_application_dbus_unregister;
  app_class->shutdown = rl_application_shutdown;
}

static void
rl_application_init (RlApplication *self)
{
  self->host = rl_service_host_new (G_APPLICATION (self));
  self->core = rl_service_host_get_core (self->host);
}

/**
 * rl_application_new:
 * @headless: start without a window (--headless); the next activation
 *   shows it
 */
RlApplication *
rl_application_new (gboolean headless)
{
  /* register-session: the session's end quits it, and quitting leaves the
   * line clean. */
  RlApplication *self = g_object_new (RL_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                                      G_APPLICATION_HANDLES_OPEN, "resource-base-path",
                                      "/org/ringline/Ringline", "register-session", TRUE, NULL);

  self->headless = self->start_hidden = headless;
  return self;
}

RlCore *
rl_application_get_core (RlApplication *self)
{
  return self->core;
}
