/* rl-preferences-window.c
 *
 * The manual SIP account. The form builds the same a{sv} that D-Bus
 * SetAccount takes, so both are validated by one function.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPreferencesWindow"

#include "config.h"

#include "rl-preferences-window.h"

#include <glib/gi18n.h>

#if ADW_CHECK_VERSION(1, 5, 0)
#define PARENT_TYPE ADW_TYPE_PREFERENCES_DIALOG
typedef AdwPreferencesDialog RlPreferencesParent;
#else
#define PARENT_TYPE ADW_TYPE_PREFERENCES_WINDOW
typedef AdwPreferencesWindow RlPreferencesParent;
#endif

#define WIDTH 520
#define HEIGHT 640

struct _RlPreferencesWindow
{
  RlPreferencesParent parent_instance;

  AdwEntryRow *servers_row;
  AdwEntryRow *username_row;
  AdwEntryRow *password_row;
  AdwComboRow *transport_row;
  AdwEntryRow *display_name_row;
  AdwEntryRow *caller_id_row;
  AdwEntryRow *auth_username_row;
  AdwEntryRow *realm_row;
  AdwEntryRow *stun_row;
  AdwEntryRow *turn_row;
  AdwEntryRow *turn_username_row;
  AdwEntryRow *turn_password_row;
  GtkSwitch *ice_switch;
  AdwComboRow *encryption_row;
  AdwEntryRow *tls_ca_row;
  GtkSwitch *register_switch;
  GtkSwitch *remember_switch;
  GtkSwitch *links_switch;
  AdwEntryRow *screen_pop_row;
  AdwComboRow *screen_pop_when_row;
  AdwComboRow *language_row;
  GtkSwitch *keep_running_switch;
  GtkSwitch *raise_switch;
  GtkSwitch *autostart_switch;
  GtkSwitch *auto_answer_switch;
  GtkSpinButton *max_calls_spin;
  AdwComboRow *device_rows[RL_AUDIO_N_ROLES];
  gboolean filling; /* the device rows are being changed by us, not the user */

  RlCore *core;
};

G_DEFINE_FINAL_TYPE (RlPreferencesWindow, rl_preferences_window, PARENT_TYPE)

static const char *const transports[] = { "udp", "tcp", "tls" };
/* In the order of the screen pop row's labels. */
static const char *const screen_pop_whens[] = { "never", "ringing", "answered", NULL };
/* In the order of the language row's labels (setting "language"). */
static const char *const languages[] = { "", "en", "zh_CN", "es_MX", "es", NULL };
/* In the order of the encryption row's labels. */
static const char *const encryptions[] = { "none", "srtp", "srtp-mandatory", "dtls-srtp" };

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* A string setting shown in a combo row: @user_data lists the values in
 * the row's order, NULL-terminated. */
static gboolean
choice_to_row (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *const *choices = user_data;
  const char *choice = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i]; i++)
    if (g_str_equal (choice, choices[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
row_to_choice (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const char *const *choices = user_data;
  guint selected = g_value_get_uint (value);

  return selected < g_strv_length ((char **) choices) ? g_variant_new_string (choices[selected])
                                                      : NULL;
}

/* What the account has that the form does not show (the identity header,
 * the country, the keep-alive interval, from D-Bus or the call center)
 * stays as it is. */
static void
add_hidden_keys (RlPreferencesWindow *self, GVariantBuilder *b)
{
  static const char *const hidden[] = { "identity_header", "country_code", "keepalive_interval" };
  RlAccount *account = rl_phone_get_account (rl_core_get_phone (self->core));
  g_autoptr (GVariant) current = NULL;

  if (account == NULL)
    return;
  current = g_variant_ref_sink (rl_account_to_variant (account));
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    {
      GVariant *value = g_variant_lookup_value (current, hidden[i], NULL);

      if (value)
        g_variant_builder_add (b, "{sv}", hidden[i], value);
      g_clear_pointer (&value, g_variant_unref);
    }
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
  add_hidden_keys (self, &b);
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
  g_variant_builder_add (&b, "{sv}", "stun_server",
                         g_variant_new_string (text_of (self->stun_row)));
  g_variant_builder_add (&b, "{sv}", "turn_server",
                         g_variant_new_string (text_of (self->turn_row)));
  g_variant_builder_add (&b, "{sv}", "turn_username",
                         g_variant_new_string (text_of (self->turn_username_row)));
  g_variant_builder_add (&b, "{sv}", "turn_password",
                         g_variant_new_string (text_of (self->turn_password_row)));
  g_variant_builder_add (&b, "{sv}", "ice",
                         g_variant_new_boolean (gtk_switch_get_active (self->ice_switch)));
  g_variant_builder_add (
    &b, "{sv}", "media_encryption",
    g_variant_new_string (encryptions[MIN (adw_combo_row_get_selected (self->encryption_row),
                                           G_N_ELEMENTS (encryptions) - 1)]));
  g_variant_builder_add (&b, "{sv}", "tls_ca_file",
                         g_variant_new_string (text_of (self->tls_ca_row)));
  g_variant_builder_add (&b, "{sv}", "register",
                         g_variant_new_boolean (gtk_switch_get_active (self->register_switch)));
  g_variant_builder_add (&b, "{sv}", "remember_password",
                         g_variant_new_boolean (gtk_switch_get_active (self->remember_switch)));
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

static void
show_toast (RlPreferencesWindow *self, const char *text)
{
#if ADW_CHECK_VERSION(1, 5, 0)
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), adw_toast_new (text));
#else
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
#endif
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
      show_toast (self, error->message);
      return;
    }
  rl_phone_set_account (rl_core_get_phone (self->core), account);
  show_toast (self, _ ("Account saved; registering…"));
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
  gtk_editable_set_text (GTK_EDITABLE (self->stun_row), rl_account_get_stun_server (account));
  gtk_editable_set_text (GTK_EDITABLE (self->turn_row), rl_account_get_turn_server (account));
  gtk_editable_set_text (GTK_EDITABLE (self->turn_username_row),
                         rl_account_get_turn_username (account));
  gtk_editable_set_text (GTK_EDITABLE (self->turn_password_row),
                         rl_account_get_turn_password (account));
  gtk_switch_set_active (self->ice_switch, rl_account_get_ice (account));
  for (guint i = 0; i < G_N_ELEMENTS (encryptions); i++)
    if (g_str_equal (encryptions[i], rl_account_get_media_encryption (account)))
      adw_combo_row_set_selected (self->encryption_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->tls_ca_row), rl_account_get_tls_ca_file (account));
  gtk_switch_set_active (self->register_switch, rl_account_get_register (account));
  gtk_switch_set_active (self->remember_switch, rl_account_get_remember_password (account));
}

/* Each device row lists "System default", the devices there now, and the
 * preferred one even while it is unplugged; the ids ride along in row data. */
static void
fill_device_row (RlPreferencesWindow *self, RlAudioRole role)
{
  RlAudioDevices *audio = rl_core_get_audio_devices (self->core);
  g_autoptr (GVariant) list = g_variant_ref_sink (rl_audio_devices_build_list (audio));
  g_autoptr (GVariant) devices = g_variant_lookup_value (
    list, role == RL_AUDIO_ROLE_MICROPHONE ? "microphones" : "speakers", G_VARIANT_TYPE ("aa{sv}"));
  const char *preferred = rl_audio_devices_get_preferred (audio, role);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  const char *id = "", *label = "";
  guint selected = 0, n = 1;
  gboolean seen = *preferred == '\0';

  gtk_string_list_append (labels, _ ("System default"));
  g_strv_builder_add (ids, "");
  for (gsize i = 0; i < g_variant_n_children (devices); i++, n++)
    {
      g_autoptr (GVariant) device = g_variant_get_child_value (devices, i);

      g_variant_lookup (device, "id", "&s", &id);
      g_variant_lookup (device, "label", "&s", &label);
      gtk_string_list_append (labels, label);
      g_strv_builder_add (ids, id);
      if (g_str_equal (id, preferred))
        {
          selected = n;
          seen = TRUE;
        }
    }
  if (!seen)
    {
      g_autofree char *absent = g_strdup_printf (_ ("%s (not connected)"), preferred);

      gtk_string_list_append (labels, absent);
      g_strv_builder_add (ids, preferred);
      selected = n;
    }
  g_object_set_data_full (G_OBJECT (self->device_rows[role]), "rl-ids", g_strv_builder_end (ids),
                          (GDestroyNotify) g_strfreev);
  self->filling = TRUE;
  adw_combo_row_set_model (self->device_rows[role], G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->device_rows[role], selected);
  self->filling = FALSE;
}

static void
fill_device_rows (RlPreferencesWindow *self)
{
  if (self->filling)
    return;
  for (guint role = 0; role < RL_AUDIO_N_ROLES; role++)
    fill_device_row (self, role);
}

static void
on_device_selected (AdwComboRow *row, GParamSpec *pspec, RlPreferencesWindow *self)
{
  char **ids = g_object_get_data (G_OBJECT (row), "rl-ids");
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || ids == NULL || selected >= g_strv_length (ids))
    return;
  /* The row already shows the choice: refilling it now, from inside its own
   * selection change, would pull the model from under it. */
  self->filling = TRUE;
  for (guint role = 0; role < RL_AUDIO_N_ROLES; role++)
    if (self->device_rows[role] == row)
      rl_audio_devices_set_preferred (rl_core_get_audio_devices (self->core), role, ids[selected],
                                      NULL);
  self->filling = FALSE;
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
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, stun_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, turn_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, turn_username_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, turn_password_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, ice_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, encryption_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, tls_ca_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, register_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, links_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, screen_pop_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, screen_pop_when_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, auto_answer_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, keep_running_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, raise_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, RlPreferencesWindow, max_calls_spin);
  gtk_widget_class_bind_template_child_full (widget_class, "microphone_row", FALSE,
                                             G_STRUCT_OFFSET (RlPreferencesWindow, device_rows));
  gtk_widget_class_bind_template_child_full (widget_class, "speaker_row", FALSE,
                                             G_STRUCT_OFFSET (RlPreferencesWindow, device_rows)
                                               + sizeof (AdwComboRow *));
  gtk_widget_class_bind_template_child_full (widget_class, "ringer_row", FALSE,
                                             G_STRUCT_OFFSET (RlPreferencesWindow, device_rows)
                                               + 2 * sizeof (AdwComboRow *));
  gtk_widget_class_install_action (widget_class, "prefs.apply", NULL, apply_action);
}

static void
rl_preferences_window_init (RlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RlPreferencesWindow *
rl_preferences_window_new (RlCore *core)
{
#if ADW_CHECK_VERSION(1, 5, 0)
  RlPreferencesWindow *self = g_object_new (RL_TYPE_PREFERENCES_WINDOW, "content-width", WIDTH,
                                            "content-height", HEIGHT, NULL);
#else
  RlPreferencesWindow *self = g_object_new (RL_TYPE_PREFERENCES_WINDOW, "default-width", WIDTH,
                                            "default-height", HEIGHT, "modal", TRUE, NULL);
#endif

  self->core = g_object_ref (core);
  fill_from (self, rl_phone_get_account (rl_core_get_phone (core)));
  g_settings_bind (rl_core_get_settings (core), "screen-pop-url", self->screen_pop_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (rl_core_get_settings (core), "screen-pop-when",
                                self->screen_pop_when_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_to_row, row_to_choice, (gpointer) screen_pop_whens, NULL);
  g_settings_bind_with_mapping (rl_core_get_settings (core), "language", self->language_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, choice_to_row, row_to_choice,
                                (gpointer) languages, NULL);
  g_settings_bind (rl_core_get_settings (core), "links-dial-immediately", self->links_switch,
                   "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (rl_core_get_settings (core), "keep-running", self->keep_running_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (rl_core_get_settings (core), "raise-on-incoming", self->raise_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (rl_core_get_settings (core), "start-at-login", self->autostart_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (rl_core_get_settings (core), "auto-answer", self->auto_answer_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (rl_core_get_settings (core), "max-calls", self->max_calls_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  fill_device_rows (self);
  for (guint role = 0; role < RL_AUDIO_N_ROLES; role++)
    g_signal_connect (self->device_rows[role], "notify::selected", G_CALLBACK (on_device_selected),
                      self);
  g_signal_connect_object (rl_core_get_audio_devices (core), "changed",
                           G_CALLBACK (fill_device_rows), self, G_CONNECT_SWAPPED);
  return self;
}

/* Over @parent: a dialog within it, or a window kept above it. */
void
rl_preferences_window_present (RlPreferencesWindow *self, GtkWidget *parent)
{
  g_return_if_fail (RL_IS_PREFERENCES_WINDOW (self));

#if ADW_CHECK_VERSION(1, 5, 0)
  adw_dialog_present (ADW_DIALOG (self), parent);
#else
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;

  gtk_window_set_transient_for (GTK_WINDOW (self), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  gtk_window_present (GTK_WINDOW (self));
#endif
}

void
rl_preferences_window_close (RlPreferencesWindow *self)
{
  g_return_if_fail (RL_IS_PREFERENCES_WINDOW (self));

#if ADW_CHECK_VERSION(1, 5, 0)
  adw_dialog_force_close (ADW_DIALOG (self));
#else
  gtk_window_destroy (GTK_WINDOW (self));
#endif
}
