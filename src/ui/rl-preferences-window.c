/* rl-preferences-window.c
 *
 * The manual SIP account. The form builds the same a{sv} that D-Bus
 * SetAccount takes, so both are validated by one function.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-preferences-window.h"

#include <glib/gi18n.h>

struct _RlPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwEntryRow *servers_row;
  AdwEntryRow *username_row;
  AdwEntryRow *password_row;
  AdwComboRow *transport_row;
  AdwEntryRow *display_name_row;
  AdwEntryRow *caller_id_row;
  AdwEntryRow *auth_username_row;
  AdwEntryRow *realm_row;
  GtkSwitch *register_switch;
  GtkSwitch *remember_switch;
  GtkSwitch *links_switch;

  RlCore *core;
};

G_DEFINE_FINAL_TYPE (RlPreferencesWindow, rl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *const transports[] = { "udp", "tcp", "tls" };

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static GVariant *
build_settings (RlPreferencesWindow *self)
{
  g_auto (GStrv) parts = g_strsplit (text_of (self->servers_row), ",", -1);
  g_autoptr (GStrvBuilder) servers = g_strv_builder_new ();
  g_auto (GStrv) list = NULL;
  GVariantBuilder b;
  guint transport = adw_combo_row_get_selected (self->transport_row);

  for (guint i = 0; parts[i]; i++)
    if (*g_strstrip (parts[i]))
      g_strv_builder_add (servers, parts[i]);
  list = g_strv_builder_end (servers);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "servers",
                         g_variant_new_strv ((const char *const *) list, -1));
  g_variant_builder_add (&b, "{sv}", "username",
                         g_variant_new_string (text_of (self->username_row)));
  g_variant_builder_add (&b, "{sv}", "password",
                         g_variant_new_string (text_of (self->password_row)));
  g_variant_builder_add (&b, "{sv}", "auth_username",
                         g_variant_new_string (text_of (self->auth_username_row)));
  g_variant_builder_add (&b, "{sv}", "realm", g_variant_new_string (text_of (self->realm_row)));
  g_variant_builder_add (&b, "{sv}", "display_name",
                         g_variant_new_string (text_of (self->display_name_row)));
  g_variant_builder_add (&b, "{sv}", "caller_id",
                         g_variant_new_string (text_of (self->caller_id_row)));
  g_variant_builder_add (&b, "{sv}", "transport",
                         g_variant_new_string (transports[MIN (transport, 2)]));
  g_variant_builder_add (&b, "{sv}", "register",
                         g_variant_new_boolean (gtk_switch_get_active (self->register_switch)));
  g_variant_builder_add (&b, "{sv}", "remember_password",
                         g_variant_new_boolean (gtk_switch_get_active (self->remember_switch)));
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

static void
apply_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlPreferencesWindow *self = RL_PREFERENCES_WINDOW (widget);
  g_autoptr (GVariant) settings = build_settings (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (RlAccount) account = rl_account_new_from_variant (settings, &error);

  if (account == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }
  rl_phone_set_account (rl_core_get_phone (self->core), account);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_ ("Account saved; registering…")));
}

static void
fill_from (RlPreferencesWindow *self, RlAccount *account)
{
  g_autofree char *servers = NULL;

  if (account == NULL)
    return;
  servers = g_strjoinv (", ", (char **) rl_account_get_servers (account));
  gtk_editable_set_text (GTK_EDITABLE (self->servers_row), servers);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), rl_account_get_username (account));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), rl_account_get_password (account));
  gtk_editable_set_text (GTK_EDITABLE (self->display_name_row),
                         rl_account_get_display_name (account));
  gtk_editable_set_text (GTK_EDITABLE (self->caller_id_row), rl_account_get_caller_id (account));
  if (!g_str_equal (rl_account_get_auth_username (account), rl_account_get_username (account)))
    gtk_editable_set_text (GTK_EDITABLE (self->auth_username_row),
                           rl_account_get_auth_username (account));
  gtk_editable_set_text (GTK_EDITABLE (self->realm_row), rl_account_get_realm (account));
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    if (g_str_equal (transports[i], rl_account_get_transport (account)))
      adw_combo_row_set_selected (self->transport_row, i);
  gtk_switch_set_active (self->register_switch, rl_account_get_register (account));
  gtk_switch_set_active (self->remember_switch, rl_account_get_remember_password (account));
}

static void
rl_preferences_window_dispose (GObject *object)
{
  RlPreferencesWindow *self = RL_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (rl_preferences_window_parent_class)->dispose (object);
}

static void
rl_preferences_window_class_init (RlPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = rl_preferences_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ringline/Ringline/rl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, servers_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, username_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, transport_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, caller_id_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, auth_username_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, realm_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, register_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, links_switch);
  gtk_widget_class_install_action (widget_class, "prefs.apply", NULL, apply_action);
}

static void
rl_preferences_window_init (RlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RlPreferencesWindow *
rl_preferences_window_new (GtkWindow *parent, RlCore *core)
{
  RlPreferencesWindow *self
    = g_object_new (RL_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", TRUE, NULL);

  self->core = g_object_ref (core);
  fill_from (self, rl_phone_get_account (rl_core_get_phone (core)));
  g_settings_bind (rl_core_get_settings (core), "links-dial-immediately", self->links_switch,
                   "active", G_SETTINGS_BIND_DEFAULT);
  return self;
}
