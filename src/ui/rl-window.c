/* rl-window.c
 *
 * The main window: registration state in the header, the dialpad, and the
 * call view while there is a call. The phone's verbs are inserted as the
 * "phone" action group, so buttons follow their enabled state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlWindow"

#include "config.h"

#include "rl-window.h"
#include "rl-call-view.h"
#include "rl-contacts-view.h"
#include "rl-dialpad.h"
#include "rl-history-view.h"
#include "rl-park-view.h"
#include "rl-platform-code.h"
#include "rl-preferences-window.h"
#include "rl-shortcuts.h"
#include "rl-sign-in-window.h"
#include "rl-verbs.h"

#include <glib/gi18n.h>

struct _RlWindow
{
  AdwApplicationWindow parent_instance;

  AdwHeaderBar *header_bar;
  GtkImage *brand_logo;
  GtkCssProvider *brand_css; /* the brand's colours over libadwaita's */
  char *brand_style;         /* the brand's style applied, "default" at first */
  AdwWindowTitle *app_title;
  GtkLabel *agent_label;
  GtkLabel *status_label;
  GtkLabel *registration_label;
  AdwViewSwitcherBar *switcher_bar;
  GtkRevealer *banner;
  GtkMenuButton *status_button;
  GMenu *status_menu;
  GMenu *account_section;
  char *menu_address; /* the account address heading the status menu */
  GtkLabel *banner_label;
  AdwToastOverlay *toast_overlay;
  GtkRevealer *calls_revealer;
  GtkListBox *calls_list;
  GtkStack *stack;
  GtkBox *phone_slot;
  GtkBox *dialpad_slot;
  GtkWidget *side_pane;
  GtkWidget *side_separator;
  AdwViewStack *view_stack;
  AdwViewStackPage *dialpad_page;
  RlDialpad *dialpad;
  RlHistoryView *history_view;
  RlContactsView *contacts_view;
  AdwViewStackPage *park_page;
  AdwViewStackPage *history_page;
  guint missed; /* calls missed since History was last looked at */
  RlParkView *park_view;
  RlCallView *call_view;

  RlCore *core;
  GActionGroup *verbs; /* the phone verbs as actions, enabled as the core allows */
  RlCall *shown;       /* the call on the call page */
  gboolean wide;       /* the pages beside the phone, not behind it */
  gboolean compact;    /* docked at a web widget's size: the essentials */
  gboolean shown_ringing;
  guint focus_idle;
  guint layout_idle;
};

/* From this width the pages stand beside the dialpad or the call; below
 * the compact one only the essentials stay (the seeds' widgets are 256–320
 * pixels wide). */
#define WIDE_WIDTH 900
#define COMPACT_WIDTH 360

G_DEFINE_FINAL_TYPE (RlWindow, rl_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_CORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
registration_text (RlPhone *phone)
{
  if (rl_phone_get_account (phone) == NULL)
    return NULL; /* the welcome page says how to begin */
  switch (rl_phone_get_registration_state (phone))
    {
    case RL_REGISTRATION_REGISTERING:
      return _ ("Registering…");
    case RL_REGISTRATION_REGISTERED:
      return _ ("Ready");
    case RL_REGISTRATION_FAILED:
      return _ ("Not registered");
    case RL_REGISTRATION_UNREGISTERED:
    default:
      return _ ("Offline");
    }
}

/* D-Bus says it in English with the engine's detail; the agent reads it in
 * their language. */
static char *
registration_problem (RlPhone *phone)
{
  switch (rl_phone_get_registration_problem (phone))
    {
    case RL_REGISTRATION_PROBLEM_CREDENTIALS:
      return g_strdup (
        _ ("The call center refused the user name or password: check them in Preferences"));
    case RL_REGISTRATION_PROBLEM_CERTIFICATE:
      return g_strdup (_ ("The server's certificate is not from an authority this computer "
                          "trusts; a private PBX needs its certificate authority file in the "
                          "account"));
    case RL_REGISTRATION_PROBLEM_OTHER:
    case RL_REGISTRATION_PROBLEM_NONE:
    default:
      {
        const char *detail = rl_phone_get_registration_error (phone);

        if (g_str_has_prefix (detail, "Registration failed: "))
          detail += strlen ("Registration failed: ");
        /* TRANSLATORS: %s is the network's own words, in English */
        return g_strdup_printf (_ ("Cannot register with the call center (%s)"), detail);
      }
    }
}

/* The header names the agent as briefly as it can, so it fits the default
 * width; the full address and re-registering are in the status menu. */
static const char *
agent_title (RlAccount *account)
{
  const char *name;

  if (account == NULL)
    return "Ringline";
  name = rl_account_get_display_name (account);
  return name && *name ? name : rl_account_get_username (account);
}

static void
update_status_menu (RlWindow *self, RlAccount *account)
{
  g_autofree char *aor = account ? rl_account_dup_aor (account) : NULL;
  const char *address = aor && g_str_has_prefix (aor, "sip:") ? aor + 4 : aor;
  gboolean shown = self->menu_address != NULL;

  /* Rebuilt only when it changes: the menu may be open. */
  if (shown && g_strcmp0 (address, self->menu_address) == 0)
    return;
  g_free (self->menu_address);
  self->menu_address = g_strdup (address ? address : "");
  if (shown)
    g_menu_remove (self->status_menu, 0);
  g_menu_prepend_section (self->status_menu, address, G_MENU_MODEL (self->account_section));
}

/* The status menu's content is labels: a screen reader gets them as one. */
static void
update_status_button_name (RlWindow *self)
{
  /* TRANSLATORS: the header's status menu, for screen readers: the agent's
   * name, the agent status, the registration state */
  g_autofree char *name = g_strdup_printf (
    _ ("%s: %s, %s"), gtk_label_get_label (self->agent_label),
    gtk_label_get_label (self->status_label), gtk_label_get_label (self->registration_label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
update_status (RlWindow *self)
{
  RlPhone *phone = rl_core_get_phone (self->core);
  RlEngine *engine = rl_phone_get_engine (phone);
  RlAccount *account = rl_phone_get_account (phone);
  RlSession *session = rl_core_get_session (self->core);
  const char *problem = NULL;
  g_autofree char *owned = NULL;

  gtk_label_set_label (self->agent_label, agent_title (account));
  gtk_label_set_label (self->registration_label, registration_text (phone));
  update_status_button_name (self);
  update_status_menu (self, account);

  if (rl_engine_get_state (engine) == RL_ENGINE_STATE_MISSING)
    problem = rl_engine_get_error (engine);
  else if (rl_engine_get_state (engine) == RL_ENGINE_STATE_RESTARTING)
    problem = _ ("The call engine stopped and is being restarted…");
  else if (*rl_phone_get_audio_problem (phone))
    problem = rl_phone_get_audio_problem (phone);
  else if (rl_phone_get_registration_state (phone) == RL_REGISTRATION_FAILED)
    problem = owned = registration_problem (phone);
  else if (*rl_history_get_problem (rl_core_get_history (self->core)))
    problem = rl_history_get_problem (rl_core_get_history (self->core));
  else if (rl_session_get_signed_in (session) && !rl_session_get_online (session))
    problem = _ ("The call center cannot be reached. Calls still work; the history is kept and "
                 "sent when it is back.");
  gtk_label_set_label (self->banner_label, problem ? problem : "");
  gtk_revealer_set_reveal_child (self->banner, problem && *problem);
}

static void
update_brand_logo (RlWindow *self, RlBranding *branding)
{
  GBytes *bytes = rl_branding_get_logo (branding);
  g_autoptr (GdkTexture) logo = NULL;
  g_autoptr (GError) error = NULL;
  const char *name = rl_branding_get_brand_name (branding);

  if (bytes && !(logo = gdk_texture_new_from_bytes (bytes, &error)))
    g_warning ("The brand logo cannot be shown: %s", error->message);
  gtk_image_set_from_paintable (self->brand_logo, GDK_PAINTABLE (logo));
  gtk_widget_set_visible (GTK_WIDGET (self->brand_logo), logo != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->brand_logo), *name ? name : NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->brand_logo), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  *name ? name : _ ("Logo"), -1);
}

/* The call center's brand: its colours for the style shown (each style
 * has its own legible accent), its light or dark, its name and logo. */
static void
apply_branding (RlWindow *self)
{
  RlBranding *branding = rl_core_get_branding (self->core);
  AdwStyleManager *styles = adw_style_manager_get_default ();
  const char *style = rl_branding_get_style (branding);
  const char *name = rl_branding_get_brand_name (branding);
  g_autofree char *css = NULL;

  /* Only a change of the brand's style touches the scheme: "default" leaves
   * the desktop's (or the application's) choice alone. */
  if (g_strcmp0 (style, self->brand_style) != 0)
    {
      g_free (self->brand_style);
      self->brand_style = g_strdup (style);
      adw_style_manager_set_color_scheme (
        styles, g_str_equal (style, "dark")    ? ADW_COLOR_SCHEME_FORCE_DARK
                : g_str_equal (style, "light") ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                               : ADW_COLOR_SCHEME_DEFAULT);
    }
  /* After the scheme: the accent for the style now shown. */
  css = rl_branding_dup_css (branding, adw_style_manager_get_dark (styles));
#if GTK_CHECK_VERSION(4, 12, 0)
  gtk_css_provider_load_from_string (self->brand_css, css ? css : "");
#else
  gtk_css_provider_load_from_data (self->brand_css, css ? css : "", -1);
#endif
  adw_window_title_set_title (self->app_title, *name ? name : "Ringline");
  update_brand_logo (self, branding);
}

static gboolean
has_account (RlWindow *self)
{
  return rl_phone_get_account (rl_core_get_phone (self->core)) != NULL;
}

/* Narrow, the pages take turns with the dialpad through the bar at the
 * bottom, out of reach during a call; wide, the side pane has its own. */
static void
update_switcher (RlWindow *self)
{
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    !self->wide && self->shown == NULL && has_account (self));
}

/* What the window shows with no call: how to begin until there is an
 * account (the status menu means nothing before), then the phone. */
static const char *
idle_page (RlWindow *self)
{
  return has_account (self) ? "phone" : "welcome";
}

/* Returns: whether @widget moved */
static gboolean
move_to (GtkWidget *widget, GtkBox *box)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (parent == GTK_WIDGET (box))
    return FALSE;
  g_object_ref (widget);
  gtk_box_remove (GTK_BOX (parent), widget);
  gtk_box_append (box, widget);
  g_object_unref (widget);
  return TRUE;
}

/* Wide, the dialpad or the call stays in front and History, Contacts and
 * Parked stand beside it, so the caller's history is in sight while
 * talking; narrow, they share one place. Two homes for two widgets, so each
 * keeps what it holds (a number half typed, a search) across the change. */
static void
apply_layout (RlWindow *self)
{
  gboolean side = self->wide && has_account (self);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean moved;

  /* A moved widget loses focus: it comes back, or the keys go nowhere. */
  if (focus)
    g_object_ref (focus);
  moved
    = move_to (GTK_WIDGET (self->view_stack), side ? GTK_BOX (self->side_pane) : self->phone_slot);
  moved
    = move_to (GTK_WIDGET (self->dialpad), side ? self->phone_slot : self->dialpad_slot) || moved;
  adw_view_stack_page_set_visible (self->dialpad_page, !side);
  if (side && g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "dialpad") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "history");
  gtk_widget_set_visible (self->side_pane, side);
  gtk_widget_set_visible (self->side_separator, side);
  gtk_widget_set_hexpand (GTK_WIDGET (self->stack), !side);
  gtk_widget_set_size_request (GTK_WIDGET (self->stack), side ? 360 : -1, -1);
  /* A docked window's host places it: minimize and maximize only crowd. */
  adw_header_bar_set_decoration_layout (self->header_bar, self->compact ? ":close" : NULL);
  rl_call_view_set_compact (self->call_view, self->compact);
  update_switcher (self);
  if (focus && moved)
    {
      gtk_root_set_focus (GTK_ROOT (self), NULL);
      gtk_widget_grab_focus (focus);
    }
  g_clear_object (&focus);
}

/* Focus follows the page, so keys reach what is on screen. */
static void
focus_page (RlWindow *self)
{
  g_clear_handle_id (&self->focus_idle, g_source_remove);
  if (self->shown)
    gtk_widget_grab_focus (GTK_WIDGET (self->call_view));
  else if (self->wide)
    gtk_widget_grab_focus (rl_dialpad_get_entry (self->dialpad));
  else if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "contacts") == 0)
    gtk_widget_grab_focus (rl_contacts_view_get_search_entry (self->contacts_view));
  else if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "history") == 0)
    gtk_widget_grab_focus (rl_history_view_get_search_entry (self->history_view));
  else
    gtk_widget_grab_focus (rl_dialpad_get_entry (self->dialpad));
}

static void
on_focus_idle (gpointer data)
{
  RlWindow *self = data;

  self->focus_idle = 0;
  focus_page (self);
}

static void
queue_focus (RlWindow *self)
{
  if (self->focus_idle == 0)
    self->focus_idle = g_idle_add_once (on_focus_idle, self);
}

static void
update_welcome (RlWindow *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->stack);

  gtk_widget_set_visible (GTK_WIDGET (self->status_button), has_account (self));
  gtk_widget_set_visible (GTK_WIDGET (self->app_title), !has_account (self));
  apply_layout (self);
  if (self->shown == NULL && g_strcmp0 (visible, idle_page (self)) != 0
      && (g_strcmp0 (visible, "welcome") == 0 || !has_account (self)))
    {
      gtk_stack_set_visible_child_name (self->stack, idle_page (self));
      focus_page (self);
    }
  update_switcher (self);
}

static void
on_layout_idle (gpointer data)
{
  RlWindow *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  self->layout_idle = 0;
  self->wide = width >= WIDE_WIDTH;
  self->compact = width < COMPACT_WIDTH;
  apply_layout (self);
}

static gboolean
release_background (gpointer data)
{
  g_autoptr (RlWindow) self = data;

  rl_core_release_background (self->core);
  return G_SOURCE_REMOVE;
}

/* The window is on screen: what the core held back for it may start. For
 * bench/footprint, the first frame's time is printed, on the clock the
 * bench started the process by (CLOCK_MONOTONIC). */
static void
on_first_frame (GdkFrameClock *clock, RlWindow *self)
{
  if (g_getenv ("RINGLINE_BENCH_FIRST_FRAME"))
    g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  g_idle_add (release_background, g_object_ref (self));
}

static void
on_realize (RlWindow *self)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (self)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_frame), self);
}

static void
queue_layout (RlWindow *self)
{
  if (self->layout_idle == 0)
    self->layout_idle = g_idle_add_once (on_layout_idle, self);
}

/* The layout follows the width alone: libadwaita's breakpoints say when it
 * crosses a threshold where it has them (1.4), a width check at each
 * allocation before. Either way widgets move after the allocation, never
 * during it (a breakpoint applies during the allocation too). */
#if ADW_CHECK_VERSION(1, 4, 0)
static void
add_breakpoint (RlWindow *self, const char *condition)
{
  AdwBreakpoint *breakpoint = adw_breakpoint_new (adw_breakpoint_condition_parse (condition));

  g_signal_connect_swapped (breakpoint, "apply", G_CALLBACK (queue_layout), self);
  g_signal_connect_swapped (breakpoint, "unapply", G_CALLBACK (queue_layout), self);
  adw_application_window_add_breakpoint (ADW_APPLICATION_WINDOW (self), breakpoint);
}

static void
add_breakpoints (RlWindow *self)
{
  g_autofree char *wide = g_strdup_printf ("min-width: %dpx", WIDE_WIDTH);
  g_autofree char *compact = g_strdup_printf ("max-width: %dpx", COMPACT_WIDTH - 1);

  /* Breakpoints need the window's smallest size: the seeds' widget. */
  gtk_widget_set_size_request (GTK_WIDGET (self), 256, 400);
  add_breakpoint (self, wide);
  add_breakpoint (self, compact);
}
#else
static void
rl_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  RlWindow *self = RL_WINDOW (widget);

  GTK_WIDGET_CLASS (rl_window_parent_class)->size_allocate (widget, width, height, baseline);
  if ((width >= WIDE_WIDTH) != self->wide || (width < COMPACT_WIDTH) != self->compact)
    queue_layout (self);
}
#endif

static void
show_call (RlWindow *self, RlCall *call)
{
  gboolean ringing = call && rl_call_is_ringing_in (call);
  /* Focus moves with what is shown, not on every change of the call: an
   * agent typing a transfer target keeps the entry. */
  gboolean moved = call != self->shown || ringing != self->shown_ringing;

  g_set_object (&self->shown, call);
  self->shown_ringing = ringing;
  if (call)
    rl_call_view_set_call (self->call_view, call);
  gtk_stack_set_visible_child_name (self->stack, call ? "call" : idle_page (self));
  update_switcher (self);
  /* A call's controls wait for the verbs' enabled states (Answer's), which
   * settle after the state change. */
  if (moved && call)
    queue_focus (self);
  else if (moved)
    focus_page (self);
}

/* The call page keeps the call the agent looks at; a new ringing call or the
 * end of the shown one moves it to the phone's current call. */
static void
update_call (RlWindow *self)
{
  RlPhone *phone = rl_core_get_phone (self->core);
  RlCall *current = rl_phone_get_current_call (phone);
  GListModel *calls = rl_phone_get_calls (phone);
  gboolean keep = self->shown && rl_phone_find_call (phone, rl_call_get_id (self->shown))
                  && !(current && rl_call_is_ringing_in (current));

  show_call (self, keep ? self->shown : current);
  gtk_revealer_set_reveal_child (self->calls_revealer, g_list_model_get_n_items (calls) > 1);
}

static void
update_call_row (AdwActionRow *row, GParamSpec *pspec, RlCall *call)
{
  const char *name = rl_call_get_remote_name (call);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 *name ? name : rl_call_get_remote_number (call));
  adw_action_row_set_subtitle (row, rl_call_view_describe_state (call));
}

static GtkWidget *
create_call_row (gpointer item, gpointer user_data)
{
  RlCall *call = item;
  GtkWidget *row = adw_action_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_prefix (
    ADW_ACTION_ROW (row),
    gtk_image_new_from_icon_name (rl_call_get_direction (call) == RL_CALL_DIRECTION_INBOUND
                                    ? "call-incoming-symbolic"
                                    : "call-outgoing-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "rl-call", g_object_ref (call), g_object_unref);
  g_signal_connect_object (call, "notify", G_CALLBACK (update_call_row), row, G_CONNECT_SWAPPED);
  update_call_row (ADW_ACTION_ROW (row), NULL, call);
  return row;
}

/* Picking a call shows it; a held one is taken off hold, which holds the
 * one talking: switching calls. */
static void
on_call_row_activated (RlWindow *self, GtkListBoxRow *row)
{
  RlCall *call = g_object_get_data (G_OBJECT (row), "rl-call");

  show_call (self, call);
  if (rl_call_get_state (call) == RL_CALL_STATE_HELD
      && rl_call_get_held_by (call) == RL_HELD_BY_LOCAL)
    gtk_widget_activate_action (GTK_WIDGET (self), "phone.resume", "s", rl_call_get_id (call));
}

static gboolean
history_in_view (RlWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "history") == 0
         && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "call") != 0
         && gtk_window_is_active (GTK_WINDOW (self));
}

/* The History switcher counts the calls missed since the agent last looked. */
static void
update_missed (RlWindow *self)
{
  adw_view_stack_page_set_badge_number (self->history_page, self->missed);
  adw_view_stack_page_set_needs_attention (self->history_page, self->missed > 0);
}

static void
on_history_seen (RlWindow *self)
{
  if (self->missed == 0 || !history_in_view (self))
    return;
  self->missed = 0;
  update_missed (self);
}

static void
count_missed (RlWindow *self, RlCall *call)
{
  g_autoptr (GVariant) details = NULL;
  const char *status = NULL;

  if (rl_call_get_state (call) != RL_CALL_STATE_TERMINATED || history_in_view (self))
    return;
  details = g_variant_ref_sink (rl_call_build_details (call));
  if (g_variant_lookup (details, "status", "&s", &status) && g_str_equal (status, "missed"))
    {
      self->missed++;
      update_missed (self);
    }
}

/* The end of a call in the agent's words; NULL for an ordinary one. */
static const char *
end_words (RlEndCategory reason)
{
  switch (reason)
    {
    case RL_END_BUSY:
      return _ ("The line is busy");
    case RL_END_DECLINED:
      return _ ("The call was declined");
    case RL_END_REJECTED:
      return _ ("The call was refused");
    case RL_END_NOT_FOUND:
      return _ ("The number does not exist");
    case RL_END_NO_ANSWER:
      return _ ("No answer");
    case RL_END_AUTH_FAILED:
      return _ ("The call center did not accept the call: check the account");
    case RL_END_UNREACHABLE:
      return _ ("The number cannot be reached now");
    case RL_END_NETWORK:
      return _ ("The call was cut: the connection was lost");
    case RL_END_FAILED:
      return _ ("The call failed");
    case RL_END_LOCAL_HANGUP:
    case RL_END_REMOTE_HANGUP:
    case RL_END_CANCELLED:
    case RL_END_TRANSFERRED:
    default:
      return NULL;
    }
}

/* A platform's own code ("Balance is insufficient") tells the agent more
 * than the SIP status it came with; else the end's category, in the
 * agent's language either way (D-Bus keeps the engine's English and codes),
 * with the SIP status for the call center's support. */
static char *
end_text (RlCall *call)
{
  const char *known = rl_platform_code_text (rl_call_get_platform_code (call));
  const char *words = end_words (rl_call_get_end_reason (call));
  guint code = rl_call_get_end_code (call);

  if (known)
    return g_strdup (known);
  if (words == NULL)
    return NULL;
  if (code >= 300)
    /* TRANSLATORS: why a call ended, and the SIP status code it came with */
    return g_strdup_printf (_ ("%s (SIP %u)"), words, code);
  return g_strdup (words);
}

static void
on_call_state_changed (RlWindow *self, RlCall *call)
{
  g_autofree char *why = NULL;

  if (rl_call_get_state (call) == RL_CALL_STATE_TERMINATED && (why = end_text (call)))
    rl_window_show_toast (self, why);
  count_missed (self, call);
  update_call (self);
}

/* Digits typed anywhere in the window go to the number entry, or out as
 * DTMF while the call page shows; an entry with focus keeps its keys. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, RlWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  const char *shown = gtk_stack_get_visible_child_name (self->stack);
  gboolean in_call = g_strcmp0 (shown, "call") == 0;
  GtkWidget *page = in_call ? GTK_WIDGET (self->call_view) : GTK_WIDGET (self->dialpad);
  gunichar c = gdk_keyval_to_unicode (keyval);
  char text[2] = { (char) c, 0 };

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;
  if (!(g_unichar_isdigit (c) || c == '*' || c == '#' || c == '+'))
    return GDK_EVENT_PROPAGATE;
  /* A number typed on the welcome page: the agent wants the dialpad. */
  if (g_strcmp0 (shown, "welcome") == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "phone");
      adw_view_stack_set_visible_child_name (self->view_stack, "dialpad");
      gtk_widget_grab_focus (rl_dialpad_get_entry (self->dialpad));
    }
  else if (!in_call && !gtk_widget_get_mapped (page))
    return GDK_EVENT_PROPAGATE; /* another page: its search takes digits too */
  /* Wide, a search beside the phone takes what is typed into it. */
  if (focus && GTK_IS_EDITABLE (focus) && (self->wide || gtk_widget_is_ancestor (focus, page)))
    return GDK_EVENT_PROPAGATE;
  if (in_call)
    {
      if (c != '+')
        rl_call_view_send_dtmf (self->call_view, text);
    }
  else
    rl_dialpad_append (self->dialpad, text);
  return GDK_EVENT_STOP;
}

/* Each count with its own plural: "Imported 1 contact; 3 broken entries
 * skipped". Takes both. */
static char *
two_counts (char *first, char *second)
{
  g_autofree char *head = first;
  g_autofree char *rest = second;

  /* TRANSLATORS: what an import did, then what it could not do */
  return g_strdup_printf (C_ ("import result", "%s; %s"), head, rest);
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *save_error = NULL;
  guint added = 0, skipped = 0, unsaved = 0;

  if (!rl_contact_store_import_finish (RL_CONTACT_STORE (source), result, &added, &skipped,
                                       &unsaved, &save_error, &error))
    text = g_strdup_printf (_ ("Could not import contacts: %s"), error->message);
  else if (unsaved > 0)
    text = two_counts (
      g_strdup_printf (ngettext ("Imported %u contact", "Imported %u contacts", added), added),
      g_strdup_printf (ngettext ("%u could not be saved (%s): it is here until "
                                 "Ringline quits",
                                 "%u could not be saved (%s): they are here until "
                                 "Ringline quits",
                                 unsaved),
                       unsaved, save_error));
  else if (skipped > 0)
    text = two_counts (
      g_strdup_printf (ngettext ("Imported %u contact", "Imported %u contacts", added), added),
      g_strdup_printf (ngettext ("%u broken entry skipped", "%u broken entries skipped", skipped),
                       skipped));
  else if (added == 0)
    text = g_strdup (_ ("No new contacts: they were all imported before"));
  else
    text = g_strdup_printf (ngettext ("Imported %u contact", "Imported %u contacts", added), added);
  rl_window_show_toast (self, text);
}

/* Imported contacts are kept; the page shows them arrive. */
static void
import_file (RlWindow *self, GFile *file)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "contacts");
  rl_contact_store_import_async (rl_core_get_contacts (self->core), file, NULL, on_imported,
                                 g_object_ref (self));
}

static void
import_files (RlWindow *self, GListModel *files)
{
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr (GFile) file = g_list_model_get_item (files, i);

      import_file (self, file);
    }
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, RlWindow *self)
{
  GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));
  gboolean any = files != NULL;

  for (GSList *l = files; l; l = l->next)
    import_file (self, l->data);
  g_slist_free (files);
  return any;
}

static GtkFileFilter *
vcard_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("vCard files"));
  gtk_file_filter_add_mime_type (filter, "text/vcard");
  gtk_file_filter_add_mime_type (filter, "text/x-vcard");
  gtk_file_filter_add_suffix (filter, "vcf");
  return filter;
}

#if GTK_CHECK_VERSION(4, 10, 0)
static void
on_files_chosen (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlWindow) self = user_data;
  g_autoptr (GListModel) files
    = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (files)
    import_files (self, files);
}

static void
import_contacts_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_autoptr (GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr (GtkFileFilter) filter = vcard_filter ();

  gtk_file_dialog_set_title (dialog, _ ("Import Contacts"));
  gtk_file_dialog_set_accept_label (dialog, _ ("_Import"));
  gtk_file_dialog_set_default_filter (dialog, filter);
  gtk_file_dialog_open_multiple (dialog, GTK_WINDOW (widget), NULL, on_files_chosen,
                                 g_object_ref (widget));
}
#else
static void
on_chooser_response (GtkNativeDialog *chooser, int response, RlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      import_files (self, files);
    }
  g_object_unref (chooser);
}

static void
import_contacts_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
    _ ("Import Contacts"), GTK_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Import"), NULL);
  g_autoptr (GtkFileFilter) filter = vcard_filter ();

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
#endif

static void
sign_in_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlSignInWindow *dialog = rl_sign_in_window_new (GTK_WINDOW (widget), RL_WINDOW (widget)->core);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rl_preferences_window_present (rl_preferences_window_new (RL_WINDOW (widget)->core), widget);
}

/* libadwaita's shortcuts dialog where it has one (1.8), GTK's shortcuts
 * window (gtk/help-overlay.ui, which GtkApplication loads) before. */
static void
shortcuts_action (GtkWidget *widget, const char *name, GVariant *param)
{
#if ADW_CHECK_VERSION(1, 8, 0)
  adw_dialog_present (rl_shortcuts_dialog_new (), widget);
#else
  gtk_widget_activate_action (widget, "win.show-help-overlay", NULL);
#endif
}

static void
search_contacts_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlWindow *self = RL_WINDOW (widget);

  if (self->shown && !self->wide)
    return; /* the call page stays while there is a call */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "history") == 0)
    {
      gtk_widget_grab_focus (rl_history_view_get_search_entry (self->history_view));
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "contacts");
  gtk_widget_grab_focus (rl_contacts_view_get_search_entry (self->contacts_view));
}

/* Alt+1…4: a page from the keyboard, its search (or the number) focused,
 * as a screen-reader user or a touch typist wants. */
static void
show_page_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlWindow *self = RL_WINDOW (widget);
  const char *page = g_variant_get_string (param, NULL);
  AdwViewStackPage *target = adw_view_stack_get_page (
    self->view_stack, adw_view_stack_get_child_by_name (self->view_stack, page));

  if (self->shown && !self->wide)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  /* Wide, the dialpad has no page: it is always beside. */
  if (g_str_equal (page, "dialpad"))
    {
      if (!self->wide)
        adw_view_stack_set_visible_child_name (self->view_stack, "dialpad");
      gtk_widget_grab_focus (rl_dialpad_get_entry (self->dialpad));
      return;
    }
  if (target == NULL || !adw_view_stack_page_get_visible (target))
    {
      gtk_widget_error_bell (widget);
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, page);
  if (g_str_equal (page, "history"))
    gtk_widget_grab_focus (rl_history_view_get_search_entry (self->history_view));
  else if (g_str_equal (page, "contacts"))
    gtk_widget_grab_focus (rl_contacts_view_get_search_entry (self->contacts_view));
  else
    gtk_widget_child_focus (GTK_WIDGET (self->park_view), GTK_DIR_TAB_FORWARD);
}

/* The header's status button names the agent's status and, by its style,
 * whether calls come in: green when available, amber when not. */
static void
update_agent_status (RlWindow *self)
{
  RlAgentStatus *agent = rl_core_get_agent_status (self->core);
  static const struct
  {
    guint code;
    const char *label;
  } labels[] = {
    { 1, NC_ ("agent status", "Available") }, { 2, NC_ ("agent status", "Busy") },
    { 3, NC_ ("agent status", "Meeting") },   { 4, NC_ ("agent status", "Meal") },
    { 5, NC_ ("agent status", "Break") },     { 6, NC_ ("agent status", "Sleeping") },
    { 7, NC_ ("agent status", "Away") },      { 8, NC_ ("agent status", "Wrap-up") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (labels[i].code == rl_agent_status_get_code (agent))
      gtk_label_set_label (self->status_label,
                           g_dpgettext2 (NULL, "agent status", labels[i].label));
  update_status_button_name (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "status-idle");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "status-away");
  gtk_widget_add_css_class (
    GTK_WIDGET (self->status_label),
    rl_agent_status_get_state (agent) == RL_AGENT_STATE_IDLE ? "status-idle" : "status-away");
}

/* Recording and parking are the call center's: shown while signed in. */
static void
update_signed_in (RlWindow *self)
{
  gboolean signed_in = rl_session_get_signed_in (rl_core_get_session (self->core));

  update_status (self);
  rl_call_view_set_can_record (self->call_view, signed_in);
  adw_view_stack_page_set_visible (self->park_page, signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in", !signed_in);
}

/* The platform ended a call saying the login is over: the agent signs in
 * again, from the window that is there. */
static void
on_signed_out (RlWindow *self, const char *reason)
{
  if (g_strcmp0 (reason, RL_SIGNED_OUT_LOGIN_EXPIRED) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.sign-in", NULL);
}

/* Closing hides the window while Ringline is a phone that must stay
 * reachable (an account, and the agent's keep-running setting); otherwise it
 * quits, through app.quit, which asks first when calls are up. */
static gboolean
on_close_request (RlWindow *self)
{
  RlPhone *phone = rl_core_get_phone (self->core);
  gboolean has_account = rl_phone_get_account (phone) != NULL
                         || rl_session_get_signed_in (rl_core_get_session (self->core));

  if (has_account && g_settings_get_boolean (rl_core_get_settings (self->core), "keep-running"))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "app.quit", NULL);
  return TRUE;
}

static void
rl_window_constructed (GObject *object)
{
  RlWindow *self = RL_WINDOW (object);
  RlPhone *phone = rl_core_get_phone (self->core);
  GtkEventController *keys = gtk_event_controller_key_new ();

  G_OBJECT_CLASS (rl_window_parent_class)->constructed (object);

  self->brand_css = gtk_css_provider_new ();
  self->brand_style = g_strdup ("default");
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->brand_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_signal_connect_object (rl_core_get_branding (self->core), "notify::theme",
                           G_CALLBACK (apply_branding), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (apply_branding), self, G_CONNECT_SWAPPED);
  apply_branding (self);

  self->verbs = G_ACTION_GROUP (rl_verbs_new (self->core));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "phone", self->verbs);
  gtk_list_box_bind_model (self->calls_list, rl_phone_get_calls (phone), create_call_row, NULL,
                           NULL);
  rl_dialpad_set_phone_actions (self->dialpad, self->verbs);
  rl_dialpad_set_caller_ids (self->dialpad, rl_core_get_caller_ids (self->core));
  rl_contacts_view_set_store (self->contacts_view, rl_core_get_contacts (self->core));
  rl_history_view_set_history (self->history_view, rl_core_get_history (self->core));
  rl_park_view_set_slots (self->park_view, rl_core_get_park_slots (self->core));
  rl_call_view_set_park_menu (self->call_view, rl_park_view_get_park_menu (self->park_view));

  /* The window opens as the agent left it (the `compact` setting, read by
   * the application, still wins). */
  g_settings_bind (rl_core_get_settings (self->core), "window-width", self, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (rl_core_get_settings (self->core), "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (rl_core_get_settings (self->core), "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
#if ADW_CHECK_VERSION(1, 4, 0)
  add_breakpoints (self);
#endif
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect_object (phone, "notify::registration-state", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "notify::registration-error", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "notify::audio-problem", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "notify::account", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "notify::account", G_CALLBACK (update_welcome), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (rl_phone_get_engine (phone), "notify", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "call-state-changed", G_CALLBACK (on_call_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "call-removed", G_CALLBACK (update_call), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (rl_core_get_agent_status (self->core), "notify::code",
                           G_CALLBACK (update_agent_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (rl_core_get_history (self->core), "notify::problem",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (rl_core_get_session (self->core), "notify::signed-in",
                           G_CALLBACK (update_signed_in), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (rl_core_get_session (self->core), "signed-out",
                           G_CALLBACK (on_signed_out), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (rl_core_get_session (self->core), "notify::online",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update_status (self);
  update_signed_in (self);
  update_agent_status (self);
  update_call (self);
  update_welcome (self);
  focus_page (self);
}

static void
rl_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RlWindow *self = RL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CORE:
      self->core = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_window_dispose (GObject *object)
{
  RlWindow *self = RL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_WINDOW);
  g_clear_pointer (&self->menu_address, g_free);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  if (self->brand_css)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->brand_css));
  g_clear_object (&self->brand_css);
  g_clear_pointer (&self->brand_style, g_free);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  g_clear_handle_id (&self->focus_idle, g_source_remove);
  g_clear_object (&self->verbs);
  g_clear_object (&self->core);
  g_clear_object (&self->shown);
  G_OBJECT_CLASS (rl_window_parent_class)->dispose (object);
}

static void
rl_window_class_init (RlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rl_window_constructed;
  object_class->set_property = rl_window_set_property;
  object_class->dispose = rl_window_dispose;
#if !ADW_CHECK_VERSION(1, 4, 0)
  widget_class->size_allocate = rl_window_size_allocate;
#endif

  properties[PROP_CORE]
    = g_param_spec_object ("core", NULL, NULL, RL_TYPE_CORE,
                           G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RL_TYPE_DIALPAD);
  g_type_ensure (RL_TYPE_CALL_VIEW);
  g_type_ensure (RL_TYPE_CONTACTS_VIEW);
  g_type_ensure (RL_TYPE_HISTORY_VIEW);
  g_type_ensure (RL_TYPE_PARK_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/ringline/Ringline/rl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RlWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, brand_logo);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, app_title);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, agent_label);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, registration_label);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, phone_slot);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, dialpad_slot);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, side_pane);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, side_separator);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, dialpad_page);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, status_button);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, status_menu);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, account_section);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, calls_revealer);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, calls_list);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_call_row_activated);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, dialpad);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, history_view);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, contacts_view);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, park_page);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, park_view);
  gtk_widget_class_bind_template_child (widget_class, RlWindow, call_view);

  gtk_widget_class_install_action (widget_class, "win.import-contacts", NULL,
                                   import_contacts_action);
  gtk_widget_class_install_action (widget_class, "win.search-contacts", NULL,
                                   search_contacts_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.shortcuts", NULL, shortcuts_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  for (guint i = 0; i < 4; i++)
    gtk_widget_class_add_binding_action (
      widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, "win.show-page", "s",
      (const char *[]){ "dialpad", "history", "contacts", "park" }[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.import-contacts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-contacts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "phone.answer", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "phone.hangup", "s", "");
}

static void
rl_window_init (RlWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name",
                            G_CALLBACK (on_history_seen), self);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name", G_CALLBACK (on_history_seen),
                            self);
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (on_history_seen), self);
  /* vCard files dropped anywhere on the window are imported. */
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

/**
 * rl_window_resize:
 *
 * For hosts that dock the window beside a CRM. A compact layout comes
 * first, so the window can shrink below what the roomier one needs; the
 * allocation settles the rest.
 */
void
rl_window_resize (RlWindow *self, int width, int height)
{
  g_return_if_fail (RL_IS_WINDOW (self));
  g_return_if_fail (width > 0 && height > 0);

  /* The layout for the size asked for, now: a layout still due for the
   * old size would keep the window from shrinking (the wide one is wider
   * than the compact size). */
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  if ((width >= WIDE_WIDTH) != self->wide || (width < COMPACT_WIDTH) != self->compact)
    {
      self->wide = width >= WIDE_WIDTH;
      self->compact = width < COMPACT_WIDTH;
      apply_layout (self);
    }
  gtk_window_unmaximize (GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

RlWindow *
rl_window_new (GtkApplication *app, RlCore *core)
{
  return g_object_new (RL_TYPE_WINDOW, "application", app, "core", core, NULL);
}

void
rl_window_set_number (RlWindow *self, const char *number)
{
  gtk_stack_set_visible_child_name (self->stack, "phone");
  adw_view_stack_set_visible_child_name (self->view_stack, "dialpad");
  rl_dialpad_set_number (self->dialpad, number);
  gtk_widget_grab_focus (rl_dialpad_get_entry (self->dialpad));
}

const char *
rl_window_get_number (RlWindow *self)
{
  return rl_dialpad_get_number (self->dialpad);
}

void
rl_window_show_toast (RlWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}
