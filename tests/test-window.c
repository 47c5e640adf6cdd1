/* test-window.c: the real window under Xvfb. Keys are typed as real X
 * events (xdotool, XTEST); a call to the lab's echo is placed from the
 * keyboard and hung up from the call view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "rl-core.h"
#include "rl-call-view.h"
#include "rl-contacts-view.h"
#include "rl-dialpad.h"
#include "rl-history-model.h"
#include "rl-history-view.h"
#include "rl-color.h"
#include "rl-preferences-window.h"
#include "rl-shortcuts.h"
#include "rl-sign-in-window.h"
#include "rl-resources.h"
#include "rl-test-phone.h"
#include "rl-window.h"
#include "rl-verbs.h"

static RlTestLab *lab;

typedef struct
{
  RlCore *core;
  RlWindow *window;
} Fixture;

static void screenshot (const char *name);

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->core = rl_core_new ();
  rl_core_startup (f->core);
  f->window = rl_window_new (NULL, f->core);
  gtk_window_set_title (GTK_WINDOW (f->window), "Ringline test window");
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (rl_test_wait (mapped, f->window, 10));
}

/* The memory settings outlive a test: each starts from the defaults (the
 * account one test saves would dial the next one's calls). */
static void
reset_settings (GSettings *settings)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (settings, keys[i]);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  rl_core_shutdown (f->core);
  reset_settings (rl_core_get_settings (f->core));
  g_clear_object (&f->core);
}

static GtkWidget *
child (gpointer widget, GType type, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (widget), type, name));
}

static RlDialpad *
dialpad (Fixture *f)
{
  return RL_DIALPAD (
    gtk_widget_get_template_child (GTK_WIDGET (f->window), RL_TYPE_WINDOW, "dialpad"));
}

static const char *
entry_text (Fixture *f)
{
  return rl_dialpad_get_number (dialpad (f));
}

static void
xdotool (const char *args)
{
  g_autofree char *cmd = g_strdup_printf ("xdotool %s", args);
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
type_keys (const char *keys)
{
  g_autofree char *args = g_strdup_printf (
    "search --sync --name '^Ringline test window$' windowfocus --sync type --delay 30 '%s'", keys);

  xdotool (args);
}

typedef struct
{
  Fixture *f;
  const char *want;
} TextWait;

static gboolean
text_is (gpointer data)
{
  TextWait *w = data;

  return g_strcmp0 (entry_text (w->f), w->want) == 0;
}

static void
wait_text (Fixture *f, const char *want)
{
  TextWait w = { f, want };

  if (!rl_test_wait (text_is, &w, 10))
    g_error ("the entry holds '%s', not '%s'", entry_text (f), want);
}

static void
test_typing_reaches_entry (Fixture *f, gconstpointer data)
{
  GtkWidget *call_button = child (dialpad (f), RL_TYPE_DIALPAD, "call_button");

  g_assert_cmpstr (entry_text (f), ==, "");
  type_keys ("+34 917");
  wait_text (f, "+34 917");
  /* Digit keys on screen and the backspace key are actions too. */
  gtk_widget_activate_action (GTK_WIDGET (dialpad (f)), "dialpad.digit", "s", "5");
  wait_text (f, "+34 9175");
  gtk_widget_activate_action (GTK_WIDGET (dialpad (f)), "dialpad.backspace", NULL);
  wait_text (f, "+34 917");
  /* No account: nothing can be dialled, so the call button is off. */
  g_assert_false (gtk_widget_is_sensitive (call_button));
}

static void
test_paste (Fixture *f, gconstpointer data)
{
  GtkWidget *entry = rl_dialpad_get_entry (dialpad (f));
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (entry), "+1 (555) 010-0199");
  gtk_widget_activate_action (text, "clipboard.paste", NULL);
  wait_text (f, "+1 (555) 010-0199");
}

static gboolean
stack_shows (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  const char *page = ((gpointer *) data)[1];
  GtkStack *stack
    = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->window), RL_TYPE_WINDOW, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), page) == 0;
}

static void
on_dtmf (RlPhone *phone, RlCall *call, const char *key, GString *got)
{
  g_string_append (got, key);
}

static gboolean
got_two_digits (gpointer data)
{
  return ((GString *) data)->len >= 2;
}

static gboolean
current_call_muted (gpointer data)
{
  RlCall *call = rl_phone_get_current_call (rl_core_get_phone (data));

  return call && rl_call_get_muted (call);
}

static void
test_call_from_keyboard (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  gpointer on_call[] = { f, "call" };
  gpointer on_dialpad[] = { f, "phone" };
  GtkWidget *call_view = child (f->window, RL_TYPE_WINDOW, "call_view");
  GtkWidget *hangup;
  g_autoptr (GString) dtmf = g_string_new (NULL);

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  type_keys (rl_test_lab_extension (lab, "echo"));
  wait_text (f, rl_test_lab_extension (lab, "echo"));
  xdotool ("key --delay 30 Return");
  g_assert_true (rl_test_wait (stack_shows, on_call, 10));
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (f->core), 15));
  screenshot ("in-call-keyboard");
  /* In call: mute from its button, and digits typed on the keyboard go out
   * as DTMF (the echo bot sends them back). */
  g_signal_connect (rl_core_get_phone (f->core), "dtmf-received", G_CALLBACK (on_dtmf), dtmf);
  g_signal_emit_by_name (child (call_view, RL_TYPE_CALL_VIEW, "mute_button"), "clicked");
  g_assert_true (rl_test_wait (current_call_muted, f->core, 10));
  type_keys ("73");
  g_assert_true (rl_test_wait (got_two_digits, dtmf, 10));
  g_assert_cmpstr (dtmf->str, ==, "73");
  g_signal_handlers_disconnect_by_data (rl_core_get_phone (f->core), dtmf);
  hangup = child (call_view, RL_TYPE_CALL_VIEW, "hangup_button");
  g_assert_true (gtk_widget_get_visible (hangup));
  g_assert_true (gtk_widget_is_sensitive (hangup));
  g_signal_emit_by_name (hangup, "clicked");
  g_assert_true (rl_test_wait (stack_shows, on_dialpad, 10));
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (rl_core_get_phone (f->core))), ==,
                    0);
}

static void
test_incoming_answer_from_call_view (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 1, NULL);
  gpointer on_call[] = { f, "call" };
  gpointer on_dialpad[] = { f, "phone" };
  GtkWidget *view = child (f->window, RL_TYPE_WINDOW, "call_view");
  GtkWidget *answer = child (view, RL_TYPE_CALL_VIEW, "answer_button");
  GtkWidget *decline = child (view, RL_TYPE_CALL_VIEW, "decline_button");
  GtkWidget *hangup = child (view, RL_TYPE_CALL_VIEW, "hangup_button");
  GtkWidget *name = child (view, RL_TYPE_CALL_VIEW, "name_label");

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  g_assert_true (rl_test_wait (rl_test_phone_rings, rl_core_get_phone (f->core), 10));
  g_assert_true (rl_test_wait (stack_shows, on_call, 10));
  g_assert_true (gtk_widget_get_visible (answer));
  g_assert_true (gtk_widget_get_visible (decline));
  g_assert_false (gtk_widget_get_visible (hangup));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (name)), ==,
                   rl_test_lab_extension (lab, "caller"));
  g_signal_emit_by_name (answer, "clicked");
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (f->core), 10));
  g_assert_true (gtk_widget_get_visible (hangup));
  g_assert_false (gtk_widget_get_visible (answer));
  rl_test_lab_caller_hangup (lab);
  g_assert_true (rl_test_wait (stack_shows, on_dialpad, 10));
}

static RlCall *
nth_call (Fixture *f, guint n)
{
  g_autoptr (RlCall) call
    = g_list_model_get_item (rl_phone_get_calls (rl_core_get_phone (f->core)), n);

  return call;
}

typedef struct
{
  RlCall *call;
  RlCallState state;
} CallStateWait;

static gboolean
call_in_state (gpointer data)
{
  CallStateWait *w = data;

  return rl_call_get_state (w->call) == w->state;
}

static void
wait_call_state (RlCall *call, RlCallState state)
{
  g_assert_true (rl_test_wait (call_in_state, &(CallStateWait){ call, state }, 15));
}

static const char *
shown_name (GtkWidget *view)
{
  return gtk_label_get_label (GTK_LABEL (child (view, RL_TYPE_CALL_VIEW, "name_label")));
}

/* A second caller while in a call: the window shows it ringing and lists
 * both calls; answering holds the first; picking the first in the list
 * switches back. The quality indicator shows once RTCP reports arrive. */
static void
test_call_waiting (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 2, NULL);
  gpointer on_dialpad[] = { f, "phone" };
  GtkWidget *view = child (f->window, RL_TYPE_WINDOW, "call_view");
  GtkWidget *answer = child (view, RL_TYPE_CALL_VIEW, "answer_button");
  GtkWidget *quality = child (view, RL_TYPE_CALL_VIEW, "quality_button");
  GtkRevealer *list_revealer = GTK_REVEALER (child (f->window, RL_TYPE_WINDOW, "calls_revealer"));
  GtkListBox *list = GTK_LIST_BOX (child (f->window, RL_TYPE_WINDOW, "calls_list"));
  const char *agent = rl_test_lab_agent (lab, 2);
  RlCall *first, *second;

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  rl_test_lab_call_from (lab, "caller", agent);
  g_assert_true (rl_test_wait (rl_test_phone_rings, rl_core_get_phone (f->core), 10));
  g_signal_emit_by_name (answer, "clicked");
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (f->core), 10));
  first = nth_call (f, 0);
  g_assert_false (gtk_revealer_get_reveal_child (list_revealer));

  rl_test_lab_call_from (lab, "caller2", agent);
  rl_test_phone_wait_n_calls (rl_core_get_phone (f->core), 2);
  second = nth_call (f, 1);
  g_assert_true (rl_test_wait (rl_test_phone_rings, rl_core_get_phone (f->core), 10));
  g_assert_cmpstr (shown_name (view), ==, rl_test_lab_extension (lab, "caller2"));
  g_assert_true (gtk_revealer_get_reveal_child (list_revealer));
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 1));
  g_signal_emit_by_name (answer, "clicked");
  wait_call_state (second, RL_CALL_STATE_ACCEPTED);
  wait_call_state (first, RL_CALL_STATE_HELD);

  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  wait_call_state (first, RL_CALL_STATE_ACCEPTED);
  wait_call_state (second, RL_CALL_STATE_HELD);
  g_assert_cmpstr (shown_name (view), ==, rl_test_lab_extension (lab, "caller"));
  /* The list words each call's state as the call view does. */
  g_assert_cmpstr (
    adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 1))), ==,
    rl_call_view_describe_state (second));
  g_assert_true (rl_test_wait (mapped, quality, 15));
  screenshot ("call-waiting");

  rl_test_lab_caller_hangup (lab);
  g_free (rl_test_lab_bot (lab, "caller2", "hangup", NULL));
  g_assert_true (rl_test_wait (stack_shows, on_dialpad, 10));
  g_assert_false (gtk_revealer_get_reveal_child (list_revealer));
}

static void
type_into (GtkWidget *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
test_preferences_set_account (Fixture *f, gconstpointer data)
{
  RlPreferencesWindow *prefs = rl_preferences_window_new (f->core);
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", rl_test_lab_port (lab));
  RlAccount *account;

  rl_preferences_window_present (prefs, GTK_WIDGET (f->window));
  g_assert_true (rl_test_wait (mapped, prefs, 10));
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "servers_row"), server);
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "username_row"), rl_test_lab_agent (lab, 2));
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "password_row"),
             rl_test_lab_password (lab, 2));
  /* A bad value is refused with the key named, and nothing changes. */
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "display_name_row"), "Bad \"name");
  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.apply", NULL);
  g_assert_null (rl_phone_get_account (rl_core_get_phone (f->core)));
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "display_name_row"), "Ana");
  /* The network and security fields reach the account; a TURN server with
   * no user is refused like any bad value. */
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "stun_row"), "127.0.0.1:3478");
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "turn_row"), "127.0.0.1:3478");
  gtk_switch_set_active (GTK_SWITCH (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "ice_switch")),
                         TRUE);
  adw_combo_row_set_selected (
    ADW_COMBO_ROW (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "encryption_row")), 1);
  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.apply", NULL);
  g_assert_null (rl_phone_get_account (rl_core_get_phone (f->core)));
  type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "turn_row"), "");
  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.apply", NULL);
  account = rl_phone_get_account (rl_core_get_phone (f->core));
  g_assert_nonnull (account);
  g_assert_cmpstr (rl_account_get_display_name (account), ==, "Ana");
  g_assert_cmpstr (rl_account_get_stun_server (account), ==, "127.0.0.1:3478");
  g_assert_true (rl_account_get_ice (account));
  g_assert_cmpstr (rl_account_get_media_encryption (account), ==, "srtp");
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  screenshot ("preferences");
  /* What the form does not show, set over D-Bus or by the call center,
   * outlives an edit in it. */
  {
    g_autoptr (GVariant) settings = g_variant_ref_sink (rl_test_lab_account_settings_with (
      lab, 2,
      g_variant_new_parsed ("{'display_name': <'Ana'>, 'identity_header': <'p-preferred-identity'>,"
                            " 'country_code': <'852'>, 'keepalive_interval': <uint32 40>}")));
    g_autoptr (RlAccount) hidden = rl_account_new_from_variant (settings, NULL);
    g_autofree char *region = NULL;

    rl_phone_set_account (rl_core_get_phone (f->core), hidden);
    type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "display_name_row"), "Ana María");
    gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.apply", NULL);
    account = rl_phone_get_account (rl_core_get_phone (f->core));
    g_assert_cmpstr (rl_account_get_display_name (account), ==, "Ana María");
    g_assert_cmpstr (rl_account_get_identity_header (account), ==, "p-preferred-identity");
    region = rl_account_dup_region (account);
    g_assert_cmpstr (region, ==, "HK");
    g_assert_cmpuint (rl_account_get_keepalive_interval (account), ==, 40);
  }
  rl_preferences_window_close (prefs);
}

/* The device rows show the preference, even unplugged, and choosing in them
 * changes it (and so the setting). No sound server runs here: only "System
 * default" and the absent device are listed. */
static void
test_preferences_audio_devices (Fixture *f, gconstpointer data)
{
  RlAudioDevices *audio = rl_core_get_audio_devices (f->core);
  RlPreferencesWindow *prefs;
  AdwComboRow *speaker;
  GListModel *items;

  g_assert_true (
    rl_audio_devices_set_preferred (audio, RL_AUDIO_ROLE_SPEAKER, "usb_headset", NULL));
  prefs = rl_preferences_window_new (f->core);
  rl_preferences_window_present (prefs, GTK_WIDGET (f->window));
  g_assert_true (rl_test_wait (mapped, prefs, 10));
  speaker = ADW_COMBO_ROW (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "speaker_row"));
  items = adw_combo_row_get_model (speaker);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (speaker), ==, 1);
  g_assert_nonnull (
    strstr (gtk_string_list_get_string (GTK_STRING_LIST (items), 1), "usb_headset"));
  adw_combo_row_set_selected (speaker, 0);
  g_assert_cmpstr (rl_audio_devices_get_preferred (audio, RL_AUDIO_ROLE_SPEAKER), ==, "");
  {
    g_autofree char *saved
      = g_settings_get_string (rl_core_get_settings (f->core), "audio-speaker");

    g_assert_cmpstr (saved, ==, "");
  }
  rl_preferences_window_close (prefs);
}

static GtkDropTarget *
drop_target (GtkWidget *widget)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller); /* the window keeps it */
    }
  return NULL;
}

static gboolean
has_n_contacts (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  RlContactStore *store = rl_core_get_contacts (f->core);

  return rl_contact_store_get_n_contacts (store) == GPOINTER_TO_UINT (((gpointer *) data)[1])
         && !rl_contact_store_is_busy (store);
}

/* The first result's title once the list holds @n rows. */
static gboolean
results_are (gpointer data)
{
  GtkWidget *list = ((gpointer *) data)[0];
  const char *title = ((gpointer *) data)[1];
  GtkWidget *first = gtk_widget_get_first_child (list);

  return first && gtk_widget_get_next_sibling (first) == NULL
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), title) == 0;
}

static void
drop_file (Fixture *f, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GSList files = { file, NULL };
  g_auto (GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  /* No X client here can start a drag, so the drop is handed to the
   * window's drop target as GTK does at the end of one. */
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
  g_signal_emit_by_name (drop_target (GTK_WIDGET (f->window)), "drop", &value, 20.0, 20.0,
                         &accepted);
  g_assert_true (accepted);
}

/* A vCard file dropped on the window is imported; the contacts page finds
 * its people by name, accents aside, and calls the number picked. */
static void
test_drop_vcard (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  const char *echo = rl_test_lab_extension (lab, "echo");
  GtkWidget *view = child (f->window, RL_TYPE_WINDOW, "contacts_view");
  GtkWidget *list = child (view, RL_TYPE_CONTACTS_VIEW, "results_list");
  AdwViewStack *pages = ADW_VIEW_STACK (child (f->window, RL_TYPE_WINDOW, "view_stack"));
  g_autofree char *dir = g_dir_make_tmp ("rl-drop-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "team.vcf", NULL);
  g_autofree char *vcf = g_strdup_printf ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Echo\r\n"
                                          "TEL;TYPE=work:%s\r\nTEL;TYPE=cell:+34 600 000 001\r\n"
                                          "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\n"
                                          "FN:Álvaro Solo\r\nTEL:%s\r\nEND:VCARD\r\n",
                                          echo, echo);
  gpointer two[] = { f, GUINT_TO_POINTER (2) };
  gpointer zoe[] = { list, "Zoë Echo" };
  gpointer alvaro[] = { list, "Álvaro Solo" };
  gpointer on_call[] = { f, "call" };
  gpointer on_phone[] = { f, "phone" };
  GtkWidget *row;

  g_assert_true (g_file_set_contents (path, vcf, -1, NULL));
  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  drop_file (f, path);
  g_assert_true (rl_test_wait (has_n_contacts, two, 10));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (pages), ==, "contacts");

  gtk_widget_grab_focus (rl_contacts_view_get_search_entry (RL_CONTACTS_VIEW (view)));
  type_keys ("zoe");
  g_assert_true (rl_test_wait (results_are, zoe, 10));
  screenshot ("contacts-search");
  /* Two numbers: the row opens to one row per number. */
  row = gtk_widget_get_first_child (list);
  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  xdotool ("key --delay 30 ctrl+a BackSpace");
  type_keys ("alv");
  g_assert_true (rl_test_wait (results_are, alvaro, 10));
  row = gtk_widget_get_first_child (list);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (rl_test_wait (stack_shows, on_call, 10));
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (f->core), 15));
  g_assert_cmpstr (
    rl_call_get_remote_number (rl_phone_get_current_call (rl_core_get_phone (f->core))), ==, echo);
  g_signal_emit_by_name (
    child (child (f->window, RL_TYPE_WINDOW, "call_view"), RL_TYPE_CALL_VIEW, "hangup_button"),
    "clicked");
  g_assert_true (rl_test_wait (stack_shows, on_phone, 10));

  /* The same file again adds nobody. */
  drop_file (f, path);
  g_assert_true (rl_test_wait (has_n_contacts, two, 10));
  g_unlink (path);
  g_rmdir (dir);
}

/* With RL_TEST_SCREENSHOTS naming a directory, the screen is saved there as
 * NAME.png, to look at the window as an agent sees it. */
static void
screenshot (const char *name)
{
  const char *dir = g_getenv ("RL_TEST_SCREENSHOTS");
  g_autofree char *cmd = NULL;

  if (dir == NULL)
    return;
  rl_test_sleep (600); /* past the page transitions */
  /* The screen is black around the windows: -trim keeps just them. */
  cmd = g_strdup_printf ("import -window root -trim +repage %s/ringline-%s.png", dir, name);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
}

static gboolean
signed_out (gpointer session)
{
  return !rl_session_get_signed_in (session);
}

static gboolean
slots_listed (gpointer data)
{
  return g_variant_n_children (rl_park_slots_get_slots (data)) == 2;
}

static gboolean
label_is (gpointer data)
{
  GtkLabel *label = ((gpointer *) data)[0];

  return g_strcmp0 (gtk_label_get_label (label), ((gpointer *) data)[1]) == 0;
}

/* Signed in to the lab's backend: the header's status menu sets the agent
 * status, the Parked page shows up and lists the slots, read only while it
 * is on screen. */
static void
test_call_center (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *status = child (f->window, RL_TYPE_WINDOW, "status_label");
  AdwViewStack *pages = ADW_VIEW_STACK (child (f->window, RL_TYPE_WINDOW, "view_stack"));
  AdwViewStackPage *park_page = ADW_VIEW_STACK_PAGE (
    gtk_widget_get_template_child (GTK_WIDGET (f->window), RL_TYPE_WINDOW, "park_page"));
  RlParkSlots *park = rl_core_get_park_slots (f->core);
  gpointer available[] = { status, "Available" };
  gpointer meal[] = { status, "Meal" };

  g_assert_true (rl_test_wait (label_is, available, 5));
  g_assert_false (adw_view_stack_page_get_visible (park_page));
  rl_verbs_invoke_async (f->core, "sign-in",
                         g_variant_new ("(sss)", rl_test_lab_backend_url (lab),
                                        rl_test_lab_backend_email (lab, 0),
                                        rl_test_lab_backend_password (lab, 0)),
                         NULL, rl_test_keep_result, &result);
  g_assert_true (rl_verbs_invoke_finish (f->core, rl_test_wait_result (&result, 30), NULL, &error));
  g_assert_true (adw_view_stack_page_get_visible (park_page));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "phone.set-agent-status", "(ss)", "rest",
                              "meal");
  g_assert_true (rl_test_wait (label_is, meal, 5));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "status-away"));

  g_assert_false (rl_park_slots_get_polling (park));
  adw_view_stack_set_visible_child_name (pages, "park");
  g_assert_true (rl_test_wait (slots_listed, park, 15));
  g_assert_true (rl_park_slots_get_polling (park));
  screenshot ("park");
  adw_view_stack_set_visible_child_name (pages, "dialpad");
  g_assert_false (rl_park_slots_get_polling (park));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "phone.set-agent-status", "(ss)", "idle", "");
  g_assert_true (rl_test_wait (label_is, available, 5));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "phone.sign-out", NULL);
  g_assert_true (rl_test_wait (signed_out, rl_core_get_session (f->core), 10));
  g_assert_false (adw_view_stack_page_get_visible (park_page));
}

/* The first widget under @widget, depth first, that @match accepts. */
static GtkWidget *
find_widget (GtkWidget *widget, gboolean (*match) (GtkWidget *, const char *), const char *data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, match, data);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
activates (GtkWidget *widget, const char *action)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* The button that activates @action: buttons follow their action's enabled state. */
static GtkWidget *
find_action_button (GtkWidget *widget, const char *action)
{
  return find_widget (widget, activates, action);
}

static RlSignInWindow *
open_sign_in (Fixture *f)
{
  GListModel *toplevels;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-in", NULL);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (RL_IS_SIGN_IN_WINDOW (window))
        {
          g_assert_true (rl_test_wait (mapped, window, 10));
          return RL_SIGN_IN_WINDOW (window);
        }
    }
  g_error ("no sign-in window");
}

static void
fill_row (RlSignInWindow *dialog, const char *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, RL_TYPE_SIGN_IN_WINDOW, row)), text);
}

static gboolean
visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static gboolean
window_gone (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (RL_IS_SIGN_IN_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
revealed (gpointer revealer)
{
  return gtk_revealer_get_reveal_child (revealer);
}

static gboolean
hidden (gpointer revealer)
{
  return !gtk_revealer_get_reveal_child (revealer);
}

static gboolean
signed_in (gpointer session)
{
  return rl_session_get_signed_in (session);
}

/* The sign-in window: a wrong password is said in it and it stays; the right
 * one signs in and closes it; the browser button signs in through the
 * call center's page (the lab's stand-in browser fills it). Sign In leaves
 * the menu while signed in. */
static void
test_sign_in (Fixture *f, gconstpointer data)
{
  RlSession *session = rl_core_get_session (f->core);
  RlSignInWindow *dialog = open_sign_in (f);
  GtkWidget *message = child (dialog, RL_TYPE_SIGN_IN_WINDOW, "message_label");
  GtkWidget *sign_in_button = find_action_button (GTK_WIDGET (dialog), "sign-in.password");
  GtkWidget *banner = child (f->window, RL_TYPE_WINDOW, "banner");
  GtkWidget *banner_label = child (f->window, RL_TYPE_WINDOW, "banner_label");

  g_settings_set_uint (rl_core_get_settings (f->core), "session-check-interval", 1);
  g_assert_false (gtk_widget_get_sensitive (sign_in_button));
  fill_row (dialog, "server_row", rl_test_lab_backend_url (lab));
  fill_row (dialog, "email_row", rl_test_lab_backend_email (lab, 0));
  fill_row (dialog, "password_row", "wrong");
  g_assert_true (gtk_widget_get_sensitive (sign_in_button));
  g_signal_emit_by_name (sign_in_button, "clicked");
  g_assert_true (rl_test_wait (visible, message, 15));
  g_assert_true (gtk_widget_has_css_class (message, "error"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), ==,
                   "The call center refused the sign-in: check the email and password");
  screenshot ("sign-in");
  g_assert_false (rl_session_get_signed_in (session));

  fill_row (dialog, "password_row", rl_test_lab_backend_password (lab, 0));
  g_signal_emit_by_name (sign_in_button, "clicked");
  g_assert_true (rl_test_wait (signed_in, session, 15));
  g_assert_true (rl_test_wait (window_gone, NULL, 10));
  /* The numbers the call center provides appear above the number entry. */
  {
    GtkWidget *from = child (dialpad (f), RL_TYPE_DIALPAD, "caller_id_dropdown");
    RlCallerIds *caller_ids = rl_core_get_caller_ids (f->core);

    g_assert_true (rl_test_wait (visible, from, 15));
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (from))), ==,
                      4);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (from), 2);
    g_assert_cmpstr (rl_caller_ids_get_selected (caller_ids), ==, "+15550199");
    screenshot ("caller-id");
    rl_caller_ids_select (caller_ids, "", NULL);
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (from)), ==, 0);
  }
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-in", NULL);
  rl_test_sleep (200);
  g_assert_true (window_gone (NULL)); /* disabled while signed in */

  /* The backend goes away: the window says so until it is back. */
  rl_test_lab_backend_stop (lab);
  g_assert_true (rl_test_wait (revealed, banner, 15));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (banner_label)), "cannot be reached"));
  screenshot ("offline");
  rl_test_lab_backend_start (lab);
  g_assert_true (rl_test_wait (hidden, banner, 15));
  g_settings_reset (rl_core_get_settings (f->core), "session-check-interval");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "phone.sign-out", NULL);
  g_assert_true (rl_test_wait (signed_out, session, 10));

  /* The server is offered again; the browser does the rest. */
  g_setenv ("RL_BROWSER_EMAIL", rl_test_lab_backend_email (lab, 0), TRUE);
  g_setenv ("RL_BROWSER_PASSWORD", rl_test_lab_backend_password (lab, 0), TRUE);
  dialog = open_sign_in (f);
  g_assert_cmpstr (
    gtk_editable_get_text (GTK_EDITABLE (child (dialog, RL_TYPE_SIGN_IN_WINDOW, "server_row"))), ==,
    rl_test_lab_backend_url (lab));
  g_signal_emit_by_name (find_action_button (GTK_WIDGET (dialog), "sign-in.browser"), "clicked");
  g_assert_true (rl_test_wait (signed_in, session, 30));
  g_assert_true (rl_test_wait (window_gone, NULL, 10));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "phone.sign-out", NULL);
  g_assert_true (rl_test_wait (signed_out, session, 10));
}

static GVariant *
history_record (const char *id, const char *direction, const char *number, const char *name)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return rl_test_call_record (now, id, direction, number, name,
                              g_str_equal (direction, "inbound") ? 0 : 125);
}

static gboolean
shows_text (GtkWidget *widget, const char *text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0
         && gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_label (GtkWidget *widget, const char *text)
{
  return find_widget (widget, shows_text, text);
}

static gboolean
label_shown (gpointer data)
{
  return find_label (((gpointer *) data)[0], ((gpointer *) data)[1]) != NULL;
}

static gboolean
has_items (gpointer data)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (((gpointer *) data)[0]));

  return g_list_model_get_n_items (model) == GPOINTER_TO_UINT (((gpointer *) data)[1]);
}

static gboolean
top_is (gpointer data)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (((gpointer *) data)[0]));
  g_autoptr (RlHistoryEntry) top = g_list_model_get_item (model, 0);

  return top && g_strcmp0 (rl_history_entry_get_call_id (top), ((gpointer *) data)[1]) == 0;
}

/* The History page lists calls from the database, searches them as the agent
 * types, and calls one back from its row. */
static void
test_history (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  const char *echo = rl_test_lab_extension (lab, "echo");
  RlHistory *history = rl_core_get_history (f->core);
  AdwViewStack *pages = ADW_VIEW_STACK (child (f->window, RL_TYPE_WINDOW, "view_stack"));
  GtkWidget *view = child (f->window, RL_TYPE_WINDOW, "history_view");
  GtkListView *list = GTK_LIST_VIEW (child (view, RL_TYPE_HISTORY_VIEW, "list"));
  gpointer echo_row[] = { view, "Historia Eco" };
  gpointer one[] = { list, GUINT_TO_POINTER (1) };
  gpointer on_call[] = { f, "call" };
  gpointer on_phone[] = { f, "phone" };
  GtkWidget *label, *row, *button;
  g_autofree char *call_id = NULL;

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  rl_history_add (history, history_record ("window-history-1", "inbound", echo, "Historia Eco"), "",
                  FALSE);
  rl_history_add (history, history_record ("window-history-2", "outbound", "+34911000001", NULL),
                  "", FALSE);

  adw_view_stack_set_visible_child_name (pages, "history");
  g_assert_true (rl_test_wait (label_shown, echo_row, 10));
  screenshot ("history");
  gtk_widget_grab_focus (rl_history_view_get_search_entry (RL_HISTORY_VIEW (view)));
  type_keys ("historia eco");
  g_assert_true (rl_test_wait (has_items, one, 10));

  /* Its row's button calls the number back. */
  label = find_label (view, "Historia Eco");
  row = gtk_widget_get_parent (gtk_widget_get_parent (label));
  button = gtk_widget_get_last_child (row);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (rl_test_wait (stack_shows, on_call, 10));
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (f->core), 15));
  g_assert_cmpstr (
    rl_call_get_remote_number (rl_phone_get_current_call (rl_core_get_phone (f->core))), ==, echo);
  call_id = g_strdup (rl_call_get_id (rl_phone_get_current_call (rl_core_get_phone (f->core))));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "phone.hangup", "s", "");
  g_assert_true (rl_test_wait (stack_shows, on_phone, 10));

  /* Cleared, the search shows every call, the one just made on top. */
  gtk_editable_set_text (GTK_EDITABLE (rl_history_view_get_search_entry (RL_HISTORY_VIEW (view))),
                         "");
  g_assert_true (rl_test_wait (top_is, (gpointer[]){ list, call_id }, 10));
}

static gboolean
badge_is (gpointer data)
{
  gpointer *args = data; /* page, count */

  return adw_view_stack_page_get_badge_number (args[0]) == GPOINTER_TO_UINT (args[1]);
}

/* A call that rang out unanswered while the agent looked elsewhere shows
 * on History's switcher; looking at History clears it. */
static void
test_missed_badge (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 1, NULL);
  AdwViewStack *pages = ADW_VIEW_STACK (child (f->window, RL_TYPE_WINDOW, "view_stack"));
  AdwViewStackPage *history = ADW_VIEW_STACK_PAGE (
    gtk_widget_get_template_child (GTK_WIDGET (f->window), RL_TYPE_WINDOW, "history_page"));
  gpointer on_phone[] = { f, "phone" };

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  adw_view_stack_set_visible_child_name (pages, "dialpad");
  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  g_assert_true (rl_test_wait (rl_test_phone_rings, rl_core_get_phone (f->core), 10));
  rl_test_lab_caller_hangup (lab);
  g_assert_true (rl_test_wait (stack_shows, on_phone, 10));
  g_assert_true (rl_test_wait (badge_is, (gpointer[]){ history, GUINT_TO_POINTER (1) }, 10));
  g_assert_true (adw_view_stack_page_get_needs_attention (history));
  adw_view_stack_set_visible_child_name (pages, "history");
  g_assert_true (rl_test_wait (badge_is, (gpointer[]){ history, GUINT_TO_POINTER (0) }, 10));
  g_assert_false (adw_view_stack_page_get_needs_attention (history));
  adw_view_stack_set_visible_child_name (pages, "dialpad");
}

/* No microphone or speaker: the window says what to do, until one comes
 * (test-audio drives the same phone property from a real sound server). */
static void
test_no_audio_banner (Fixture *f, gconstpointer data)
{
  RlPhone *phone = rl_core_get_phone (f->core);
  GtkWidget *banner = child (f->window, RL_TYPE_WINDOW, "banner");
  GtkWidget *banner_label = child (f->window, RL_TYPE_WINDOW, "banner_label");

  rl_phone_set_audio_problem (phone, "No microphone or speaker — connect a headset");
  g_assert_true (rl_test_wait (revealed, banner, 5));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (banner_label)), ==,
                   "No microphone or speaker — connect a headset");
  screenshot ("no-audio-device");
  rl_phone_set_audio_problem (phone, NULL);
  g_assert_true (rl_test_wait (hidden, banner, 5));
}

/* With no account the window says how to begin — sign in, or set up a SIP
 * account — and the status menu waits; an account brings the phone. */
static void
test_first_run (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  gpointer on_welcome[] = { f, "welcome" };
  gpointer on_phone[] = { f, "phone" };
  GtkWidget *status = child (f->window, RL_TYPE_WINDOW, "status_button");
  GtkWidget *welcome = gtk_stack_get_child_by_name (
    GTK_STACK (child (f->window, RL_TYPE_WINDOW, "stack")), "welcome");

  g_assert_true (rl_test_wait (stack_shows, on_welcome, 10));
  g_assert_false (gtk_widget_get_visible (status));
  g_assert_nonnull (find_action_button (welcome, "win.sign-in"));
  g_assert_true (gtk_widget_is_sensitive (find_action_button (welcome, "win.preferences")));
  screenshot ("first-run");
  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (stack_shows, on_phone, 10));
  g_assert_true (gtk_widget_get_visible (status));
  rl_phone_set_account (rl_core_get_phone (f->core), NULL);
  g_assert_true (rl_test_wait (stack_shows, on_welcome, 10));
}

static gboolean
fully_shown_label (GtkWidget *widget, const char *text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0
         && !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget)));
}

/* data: { widget, text }: a label under widget shows text without ellipsis. */
static gboolean
shown_in_full (gpointer data)
{
  gpointer *args = data;

  return find_widget (args[0], fully_shown_label, args[1]) != NULL;
}

static gboolean
icon_only_without_tooltip (GtkWidget *widget, const char *unused)
{
  const char *icon = NULL;

  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget)
           && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL)
    icon = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));
  return icon && gtk_widget_get_tooltip_text (widget) == NULL;
}

/* At the default width the header names the agent in full, with the
 * registration state; the address and re-registering are in the status
 * menu, and no icon-only button goes without a tooltip. */
static void
test_header (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  GtkWidget *header = gtk_widget_get_ancestor (child (f->window, RL_TYPE_WINDOW, "status_button"),
                                               ADW_TYPE_HEADER_BAR);
  GtkLabel *registration = GTK_LABEL (child (f->window, RL_TYPE_WINDOW, "registration_label"));
  GMenuModel *menu = G_MENU_MODEL (
    gtk_widget_get_template_child (GTK_WIDGET (f->window), RL_TYPE_WINDOW, "status_menu"));
  g_autoptr (GMenuModel) section = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *action = NULL;

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  g_assert_true (rl_test_wait (
    shown_in_full, (gpointer[]){ header, (gpointer) rl_account_get_display_name (account) }, 5));
  g_assert_true (rl_test_wait (shown_in_full, (gpointer[]){ header, "Available" }, 5));
  g_assert_true (rl_test_wait (
    shown_in_full, (gpointer[]){ header, (gpointer) gtk_label_get_label (registration) }, 5));
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, "label", "s", &heading));
  g_assert_true (g_str_has_prefix (heading, rl_account_get_username (account)));
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_true (g_menu_model_get_item_attribute (section, 0, "action", "s", &action));
  g_assert_cmpstr (action, ==, "phone.register");
  g_assert_null (find_widget (GTK_WIDGET (f->window), icon_only_without_tooltip, NULL));
  screenshot ("dialpad");
}

static gboolean
unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Wide, the dialpad and then the call stay in front with History beside
 * them; narrow again, the pages share one place and the number typed
 * survives the moves. The width alone decides. */
static void
test_wide_layout (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  gpointer on_call[] = { f, "call" };
  gpointer on_phone[] = { f, "phone" };
  GtkWidget *side = child (f->window, RL_TYPE_WINDOW, "side_pane");
  GtkWidget *slot = child (f->window, RL_TYPE_WINDOW, "phone_slot");
  GtkWidget *pad = GTK_WIDGET (dialpad (f));
  AdwViewStack *pages = ADW_VIEW_STACK (child (f->window, RL_TYPE_WINDOW, "view_stack"));
  GtkWidget *bar = child (f->window, RL_TYPE_WINDOW, "switcher_bar");
  GtkWidget *call_view = child (f->window, RL_TYPE_WINDOW, "call_view");

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  g_assert_false (gtk_widget_get_mapped (side));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 700);
  g_assert_true (rl_test_wait (mapped, side, 10));
  g_assert_true (gtk_widget_get_parent (pad) == slot);
  g_assert_true (gtk_widget_get_mapped (pad));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (pages), ==, "history");
  g_assert_false (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));

  type_keys (rl_test_lab_extension (lab, "echo"));
  wait_text (f, rl_test_lab_extension (lab, "echo"));
  screenshot ("wide");
  xdotool ("key --delay 30 Return");
  g_assert_true (rl_test_wait (stack_shows, on_call, 10));
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (f->core), 15));
  g_assert_true (gtk_widget_get_mapped (side));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (pages)));
  screenshot ("wide-in-call");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot ("wide-in-call-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_signal_emit_by_name (child (call_view, RL_TYPE_CALL_VIEW, "hangup_button"), "clicked");
  g_assert_true (rl_test_wait (stack_shows, on_phone, 10));

  rl_dialpad_append (RL_DIALPAD (pad), "12");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 380, 640);
  g_assert_true (rl_test_wait (unmapped, side, 10));
  g_assert_true (gtk_widget_get_parent (pad) == child (f->window, RL_TYPE_WINDOW, "dialpad_slot"));
  g_assert_cmpstr (rl_dialpad_get_number (RL_DIALPAD (pad)), ==, "12");
  adw_view_stack_set_visible_child_name (pages, "dialpad");
  g_assert_true (rl_test_wait (mapped, pad, 5));
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
}

/* Whether @widget is shown whole inside the window. */
static gboolean
on_screen (Fixture *f, GtkWidget *widget)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget)
      || !gtk_widget_compute_bounds (widget, GTK_WIDGET (f->window), &bounds))
    return FALSE;
  return bounds.origin.x >= 0 && bounds.origin.y >= 0
         && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (GTK_WIDGET (f->window))
         && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (f->window));
}

static gboolean
narrower_than_256 (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) <= 256;
}

/* At the seeds' widget size, 256×460, the essentials are whole on screen:
 * the status, the number, the dial button, then the call's controls. */
/* The window opens as the agent left it: its size is a setting, written as
 * it changes and read by the next window. (Maximizing needs a window
 * manager, which the tests' X server has not.) */
static void
test_window_state (Fixture *f, gconstpointer data)
{
  GSettings *settings = rl_core_get_settings (f->core);
  RlWindow *next;
  int width = 0, height = 0;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 500, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 500);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  next = rl_window_new (NULL, f->core);
  gtk_window_get_default_size (GTK_WINDOW (next), &width, &height);
  g_assert_cmpint (width, ==, 500);
  g_assert_cmpint (height, ==, 700);
  gtk_window_destroy (GTK_WINDOW (next));
}

static void
test_compact (Fixture *f, gconstpointer data)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, 0, NULL);
  gpointer on_call[] = { f, "call" };
  gpointer on_phone[] = { f, "phone" };
  GtkWidget *call_view = child (f->window, RL_TYPE_WINDOW, "call_view");

  rl_phone_set_account (rl_core_get_phone (f->core), account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
  rl_window_resize (f->window, 256, 460);
  g_assert_true (rl_test_wait (narrower_than_256, f->window, 10));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->window)), <=, 460);
  g_assert_true (on_screen (f, child (f->window, RL_TYPE_WINDOW, "status_button")));
  g_assert_true (on_screen (f, rl_dialpad_get_entry (dialpad (f))));
  rl_dialpad_append (dialpad (f), rl_test_lab_extension (lab, "echo"));
  g_assert_true (on_screen (f, child (dialpad (f), RL_TYPE_DIALPAD, "call_button")));
  screenshot ("compact");
  g_signal_emit_by_name (child (dialpad (f), RL_TYPE_DIALPAD, "call_button"), "clicked");
  g_assert_true (rl_test_wait (stack_shows, on_call, 10));
  g_assert_true (rl_test_wait (rl_test_phone_talks, rl_core_get_phone (f->core), 15));
  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "hangup_button", "mute_button", "name_label" };

      g_assert_true (on_screen (f, child (call_view, RL_TYPE_CALL_VIEW, names[i])));
    }
  screenshot ("compact-in-call");
  g_signal_emit_by_name (child (call_view, RL_TYPE_CALL_VIEW, "hangup_button"), "clicked");
  g_assert_true (rl_test_wait (stack_shows, on_phone, 10));
}

static gboolean
logo_shown (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_image_get_paintable (GTK_IMAGE (data)) != NULL;
}

static gboolean
is_dark (gpointer data)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* The colour the window's style sheets give @name. */
static char *
named_color (GtkWidget *widget, const char *name)
{
  GdkRGBA rgba;
  RlColor color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (
    gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &rgba));
  G_GNUC_END_IGNORE_DEPRECATIONS
  color = (RlColor){ rgba.red, rgba.green, rgba.blue };
  return rl_color_to_string (&color);
}

/* A host brands the window (Convirza's setTheme): the name and logo in the
 * header, dark, and the primary colour on libadwaita's accent, moved to
 * read at 4.5:1 — then back to the desktop's look. */
static void
test_branding (Fixture *f, gconstpointer data)
{
  RlBranding *branding = rl_core_get_branding (f->core);
  /* The lab's logo: a real PNG, fetched as a call center's would be. */
  g_autofree char *logo_url = g_strdup_printf ("%s/brand/logo.png", rl_test_lab_backend_url (lab));
  GtkWidget *logo = child (f->window, RL_TYPE_WINDOW, "brand_logo");
  GtkWidget *title = child (f->window, RL_TYPE_WINDOW, "app_title");
  g_autoptr (GError) error = NULL;
  g_autofree char *accent_bg = NULL;
  g_autofree char *want = NULL; /* a copy: the theme changes under it */

  g_assert_true (rl_branding_set_theme (
    branding,
    g_variant_new_parsed ("{'brand_name': <'Acme Corp'>, 'brand_logo': <%s>, "
                          "'primary_color': <'#6366f1'>, 'style': <'dark'>}",
                          logo_url),
    &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (logo_shown, logo, 5));
  g_assert_true (rl_test_wait (is_dark, NULL, 5));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (logo), ==, "Acme Corp");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==, "Acme Corp");
  g_assert_true (
    g_variant_lookup (rl_branding_get_theme (branding), "accent_bg_color", "s", &want));
  accent_bg = named_color (GTK_WIDGET (f->window), "accent_bg_color");
  g_assert_cmpstr (accent_bg, ==, want);
  g_assert_cmpstr (accent_bg, !=, "#6366f1"); /* moved for its white text */
  screenshot ("branding");

  g_assert_true (rl_branding_set_theme (
    branding,
    g_variant_new_parsed ("{'brand_name': <''>, 'brand_logo': <''>, 'primary_color': <''>, "
                          "'style': <''>}"),
    &error));
  g_assert_false (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  g_assert_false (gtk_widget_get_visible (logo));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==, "Ringline");
  g_free (accent_bg);
  accent_bg = named_color (GTK_WIDGET (f->window), "accent_bg_color");
  g_assert_cmpstr (accent_bg, !=, want);
}

/* The window in each language Ringline ships, as at a start with the
 * language setting (LANGUAGE): the dialpad, the status, the call view and a
 * toast read in it. */
static void
test_languages (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *language;
    const char *entry, *status, *answer, *toast, *busy;
  } shipped[] = {
    { "es_MX", "Número o dirección SIP", "Disponible", "Contestar", "Cuenta guardada; registrando…",
      "La línea está ocupada (SIP 486)" },
    { "zh_CN", "号码或 SIP 地址", "空闲", "接听", "账户已保存；正在注册…", "对方忙线（SIP 486）" },
  };
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", rl_test_lab_port (lab));

  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RINGLINE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      RlWindow *window;
      RlPreferencesWindow *prefs;
      GtkWidget *entry, *status, *answer;
      gpointer toast[2];

      g_setenv ("LANGUAGE", shipped[i].language, TRUE);
      setlocale (LC_ALL, "");
      setlocale (LC_MESSAGES, "C.UTF-8");
      window = rl_window_new (NULL, f->core);
      gtk_window_present (GTK_WINDOW (window));
      g_assert_true (rl_test_wait (mapped, window, 10));
      entry = rl_dialpad_get_entry (RL_DIALPAD (
        gtk_widget_get_template_child (GTK_WIDGET (window), RL_TYPE_WINDOW, "dialpad")));
      g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (entry)), ==, shipped[i].entry);
      status = child (window, RL_TYPE_WINDOW, "status_label");
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (status)), ==, shipped[i].status);
      answer
        = child (child (window, RL_TYPE_WINDOW, "call_view"), RL_TYPE_CALL_VIEW, "answer_button");
      g_assert_cmpstr (gtk_widget_get_tooltip_text (answer), ==, shipped[i].answer);
      screenshot (shipped[i].language);

      prefs = rl_preferences_window_new (f->core);
      rl_preferences_window_present (prefs, GTK_WIDGET (window));
      g_assert_true (rl_test_wait (mapped, prefs, 10));
      type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "servers_row"), server);
      type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "username_row"),
                 rl_test_lab_agent (lab, 1));
      type_into (child (prefs, RL_TYPE_PREFERENCES_WINDOW, "password_row"),
                 rl_test_lab_password (lab, 1));
      gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.apply", NULL);
      toast[0] = prefs;
      toast[1] = (gpointer) shipped[i].toast;
      g_assert_true (rl_test_wait (label_shown, toast, 10));
      rl_preferences_window_close (prefs);
      /* A call the network ends says why in the agent's words. */
      g_assert_true (rl_test_wait (rl_test_phone_is_registered, rl_core_get_phone (f->core), 15));
      gtk_widget_activate_action (GTK_WIDGET (window), "phone.dial", "(s@a{sv})",
                                  rl_test_lab_extension (lab, "busy"),
                                  g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      toast[0] = window;
      toast[1] = (gpointer) shipped[i].busy;
      g_assert_true (rl_test_wait (label_shown, toast, 15));
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
}

static void
collect_shortcuts (GtkWidget *widget, GPtrArray *found)
{
  /* Not the search page's copies. */
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget)
      && gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUTS_SECTION))
    g_ptr_array_add (found, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_shortcuts (c, found);
}

/* The shortcuts libadwaita's dialog lists (1.8) are the ones GTK's window
 * shows before it (gtk/help-overlay.ui), group by group, in order. */
static void
test_shortcuts (Fixture *f, gconstpointer data)
{
  g_autoptr (GtkBuilder) builder
    = gtk_builder_new_from_resource ("/org/ringline/Ringline/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr (GPtrArray) shown = g_ptr_array_new ();

  collect_shortcuts (overlay, shown);
  g_assert_cmpuint (shown->len, ==, rl_n_shortcuts);
  for (guint i = 0; i < shown->len; i++)
    {
      GtkWidget *shortcut = g_ptr_array_index (shown, i);
      GtkWidget *group = gtk_widget_get_ancestor (shortcut, GTK_TYPE_SHORTCUTS_GROUP);
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;
      g_autofree char *group_title = NULL;

      g_object_get (shortcut, "title", &title, "accelerator", &accelerator, NULL);
      g_object_get (group, "title", &group_title, NULL);
      g_assert_cmpstr (title, ==, rl_shortcuts[i].title);
      g_assert_cmpstr (accelerator, ==, rl_shortcuts[i].accelerator);
      g_assert_cmpstr (group_title, ==, rl_shortcuts[i].group);
    }
  gtk_window_destroy (GTK_WINDOW (overlay));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.shortcuts", NULL));
}

int
main (int argc, char *argv[])
{
  int ret;

  rl_test_setup_env ();
  rl_test_install_browser ();
  gtk_test_init (&argc, &argv, NULL);
  if (gdk_display_get_default () == NULL)
    {
      g_print ("1..0 # SKIP no display (run through ./dev test)\n");
      return 0;
    }
  adw_init ();
  rl_register_resource ();
  lab = rl_test_lab_start ();
#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/window/typing-reaches-entry", test_typing_reaches_entry);
  ADD ("/window/paste", test_paste);
  ADD ("/window/call-from-keyboard", test_call_from_keyboard);
  ADD ("/window/incoming-answer-from-call-view", test_incoming_answer_from_call_view);
  ADD ("/window/call-waiting", test_call_waiting);
  ADD ("/window/drop-vcard", test_drop_vcard);
  ADD ("/window/preferences-set-account", test_preferences_set_account);
  ADD ("/window/preferences-audio-devices", test_preferences_audio_devices);
  ADD ("/window/languages", test_languages);
  ADD ("/window/first-run", test_first_run);
  ADD ("/window/header", test_header);
  ADD ("/window/wide-layout", test_wide_layout);
  ADD ("/window/compact", test_compact);
  ADD ("/window/state-remembered", test_window_state);
  ADD ("/window/branding", test_branding);
  ADD ("/window/call-center", test_call_center);
  ADD ("/window/history", test_history);
  ADD ("/window/missed-badge", test_missed_badge);
  ADD ("/window/sign-in", test_sign_in);
  ADD ("/window/no-audio-banner", test_no_audio_banner);
  ADD ("/window/shortcuts", test_shortcuts);
#undef ADD
  ret = g_test_run ();
  rl_test_lab_stop (lab);
  return ret;
}
