/* rl-call-view.c
 *
 * One call: who, its state, how long, and the buttons that act on it. The
 * buttons are the phone's verbs with this call's id as target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlCallView"

#include "config.h"

#include "rl-call-view.h"
#include "rl-clock.h"

#include <glib/gi18n.h>

struct _RlCallView
{
  AdwBin parent_instance;

  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkLabel *number_label;
  GtkLabel *state_label;
  GtkLabel *timer_label;
  GtkWidget *answer_button;
  gboolean announced; /* this ringing was announced */
  GtkWidget *decline_button;
  GtkWidget *hangup_button;
  GtkWidget *controls;
  GtkToggleButton *mute_button;
  GtkToggleButton *hold_button;
  GtkToggleButton *record_button;
  GtkMenuButton *park_button;
  GtkEntry *transfer_entry;
  GtkWidget *transfer_button;
  GtkWidget *quality_button;
  GtkImage *quality_icon;
  GtkLabel *quality_label;
  GtkLabel *quality_details;

  RlCall *call;
  guint timer_id;
};

G_DEFINE_FINAL_TYPE (RlCallView, rl_call_view, ADW_TYPE_BIN)

/**
 * rl_call_view_describe_state:
 * @call: a call
 *
 * Returns: the call's state in words, as the call view and the window's list
 * of calls both show it.
 */
const char *
rl_call_view_describe_state (RlCall *call)
{
  switch (rl_call_get_state (call))
    {
    case RL_CALL_STATE_CALLING:
      return _ ("Calling…");
    case RL_CALL_STATE_RINGING:
      return rl_call_get_direction (call) == RL_CALL_DIRECTION_INBOUND ? _ ("Incoming call")
                                                                       : _ ("Ringing…");
    case RL_CALL_STATE_ACCEPTED:
      return _ ("In call");
    case RL_CALL_STATE_HELD:
      return rl_call_get_held_by (call) == RL_HELD_BY_REMOTE ? _ ("Held by the other party")
                                                             : _ ("On hold");
    case RL_CALL_STATE_TERMINATED:
    default:
      return _ ("Call ended");
    }
}

static gboolean
update_timer (gpointer user_data)
{
  RlCallView *self = user_data;
  GDateTime *from;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  gint64 secs;

  if (self->call == NULL)
    return G_SOURCE_CONTINUE;
  from = rl_call_get_answered (self->call) ? rl_call_get_answered (self->call)
                                           : rl_call_get_started (self->call);
  secs = g_date_time_difference (now, from) / G_TIME_SPAN_SECOND;
  text = rl_clock_format_elapsed (secs);
  gtk_label_set_label (self->timer_label, text);
  return G_SOURCE_CONTINUE;
}

static const struct
{
  const char *label;
  const char *text;
  const char *icon;
} quality_levels[] = {
  { "excellent", N_ ("Excellent"), "network-cellular-signal-excellent-symbolic" },
  { "good", N_ ("Good"), "network-cellular-signal-good-symbolic" },
  { "fair", N_ ("Fair"), "network-cellular-signal-ok-symbolic" },
  { "poor", N_ ("Poor"), "network-cellular-signal-weak-symbolic" },
};

static double
quality_value (GVariant *quality, const char *key)
{
  double value = 0;

  g_variant_lookup (quality, key, "d", &value);
  return value;
}

/* A small signal-bars indicator; the figures behind it on click. */
static void
update_quality (RlCallView *self)
{
  GVariant *quality = rl_call_get_quality (self->call);
  const char *label = NULL;
  g_autofree char *details = NULL;

  gtk_widget_set_visible (self->quality_button,
                          rl_call_is_active (self->call)
                            && g_variant_lookup (quality, "label", "&s", &label));
  if (label == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (quality_levels); i++)
    if (g_str_equal (label, quality_levels[i].label))
      {
        gtk_image_set_from_icon_name (self->quality_icon, quality_levels[i].icon);
        gtk_label_set_label (self->quality_label, _ (quality_levels[i].text));
      }
  details = g_strdup_printf (
    _ ("Packet loss: %.1f %%\nJitter: %.0f ms\nRound trip: %.0f ms\n"
       "Bitrate: %.0f kbit/s in, %.0f out\nScore (MOS): %.1f"),
    quality_value (quality, "loss_percent"), quality_value (quality, "jitter_ms"),
    quality_value (quality, "rtt_ms"), quality_value (quality, "bitrate_kbps"),
    quality_value (quality, "bitrate_out_kbps"), quality_value (quality, "mos"));
  gtk_label_set_label (self->quality_details, details);
}

/* A ringing call, said to a screen reader: the window moves focus to Answer,
 * whose description names the caller; GTK 4.14 can also announce it. */
static void
announce_ringing (RlCallView *self, gboolean ringing, const char *caller)
{
  /* TRANSLATORS: read by screen readers; %s is the caller's name or number */
  g_autofree char *text = ringing ? g_strdup_printf (_ ("Call from %s"), caller) : NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->answer_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text ? text : "", -1);
#if GTK_CHECK_VERSION(4, 14, 0)
  if (ringing && !self->announced)
    gtk_accessible_announce (GTK_ACCESSIBLE (self), text,
                             GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_HIGH);
#endif
  self->announced = ringing;
}

/* Focus on the call: Answer while it rings, so Return or Space takes it
 * and a screen reader says who calls. */
static gboolean
rl_call_view_grab_focus (GtkWidget *widget)
{
  RlCallView *self = RL_CALL_VIEW (widget);

  if (self->call && rl_call_is_ringing_in (self->call)
      && gtk_widget_grab_focus (self->answer_button))
    return TRUE;
  return GTK_WIDGET_CLASS (rl_call_view_parent_class)->grab_focus (widget);
}

static void
update (RlCallView *self)
{
  RlCall *call = self->call;
  const char *name, *number;
  gboolean ringing;

  if (call == NULL)
    return;
  name = rl_call_get_remote_name (call);
  number = rl_call_get_remote_number (call);
  ringing = rl_call_is_ringing_in (call);
  gtk_label_set_label (self->name_label, *name ? name : number);
  gtk_label_set_label (self->number_label, *name ? number : rl_call_get_remote_uri (call));
  adw_avatar_set_text (self->avatar, *name ? name : number);
  gtk_label_set_label (self->state_label, rl_call_view_describe_state (call));
  gtk_widget_set_visible (self->answer_button, ringing);
  gtk_widget_set_visible (self->decline_button, ringing);
  announce_ringing (self, ringing, *name ? name : number);
  gtk_widget_set_visible (self->hangup_button, !ringing);
  gtk_widget_set_visible (self->controls, !ringing);
  /* The toggles show the call's state; clicking them asks the phone to change it. */
  gtk_toggle_button_set_active (self->mute_button, rl_call_get_muted (call));
  gtk_toggle_button_set_active (self->hold_button, rl_call_get_state (call) == RL_CALL_STATE_HELD);
  gtk_toggle_button_set_active (self->record_button, rl_call_get_recording (call));
  for (const char *const *a
       = (const char *const[]){ "call.toggle-mute", "call.toggle-hold", "call.toggle-recording",
                                "call.dtmf", "call.transfer", NULL };
       *a; a++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), *a, rl_call_is_active (call));
  update_quality (self);
  update_timer (self);
}

static void
toggle_mute_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlCallView *self = RL_CALL_VIEW (widget);

  gtk_widget_activate_action (widget, "phone.set-muted", "(sb)", rl_call_get_id (self->call),
                              !rl_call_get_muted (self->call));
  update (self);
}

static void
toggle_hold_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlCallView *self = RL_CALL_VIEW (widget);
  gboolean held = rl_call_get_state (self->call) == RL_CALL_STATE_HELD;

  gtk_widget_activate_action (widget, held ? "phone.resume" : "phone.hold", "s",
                              rl_call_get_id (self->call));
  update (self);
}

static void
toggle_recording_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlCallView *self = RL_CALL_VIEW (widget);
  gboolean recording = rl_call_get_recording (self->call);

  gtk_widget_activate_action (widget, recording ? "phone.stop-recording" : "phone.start-recording",
                              "s", rl_call_get_id (self->call));
  update (self);
}

static void
dtmf_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlCallView *self = RL_CALL_VIEW (widget);

  gtk_widget_activate_action (widget, "phone.send-dtmf", "(ss)", rl_call_get_id (self->call),
                              g_variant_get_string (param, NULL));
}

static void
transfer_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlCallView *self = RL_CALL_VIEW (widget);
  const char *target = gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry));

  if (*target == '\0')
    return;
  gtk_widget_activate_action (widget, "phone.transfer", "(ss)", rl_call_get_id (self->call),
                              target);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->transfer_button));
}

static void
on_transfer_activate (RlCallView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "call.transfer", NULL);
}

static void
rl_call_view_dispose (GObject *object)
{
  RlCallView *self = RL_CALL_VIEW (object);

  rl_call_view_set_call (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_CALL_VIEW);
  G_OBJECT_CLASS (rl_call_view_parent_class)->dispose (object);
}

static void
rl_call_view_class_init (RlCallViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_call_view_dispose;
  widget_class->grab_focus = rl_call_view_grab_focus;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ringline/Ringline/rl-call-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RlCallView, avatar);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, name_label);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, number_label);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, state_label);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, timer_label);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, answer_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, decline_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, hangup_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, controls);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, mute_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, hold_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, record_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, park_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, transfer_entry);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, quality_button);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, quality_icon);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, quality_label);
  gtk_widget_class_bind_template_child (widget_class, RlCallView, quality_details);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_activate);
  gtk_widget_class_install_action (widget_class, "call.toggle-mute", NULL, toggle_mute_action);
  gtk_widget_class_install_action (widget_class, "call.toggle-hold", NULL, toggle_hold_action);
  gtk_widget_class_install_action (widget_class, "call.toggle-recording", NULL,
                                   toggle_recording_action);
  gtk_widget_class_install_action (widget_class, "call.dtmf", "s", dtmf_action);
  gtk_widget_class_install_action (widget_class, "call.transfer", NULL, transfer_action);
}

static void
rl_call_view_init (RlCallView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
rl_call_view_set_call (RlCallView *self, RlCall *call)
{
  g_return_if_fail (RL_IS_CALL_VIEW (self));

  if (self->call == call)
    return;
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_set_object (&self->call, call);
  self->announced = FALSE;
  if (call == NULL)
    return;
  for (GtkWidget *const *b = (GtkWidget *const[]){ self->answer_button, self->decline_button,
                                                   self->hangup_button, NULL };
       *b; b++)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (*b), "s", rl_call_get_id (call));
  g_signal_connect_object (call, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), "");
  self->timer_id = g_timeout_add_seconds (1, update_timer, self);
  update (self);
}

/* Recording is the call center's: offered only while signed in to it. */
void
rl_call_view_set_can_record (RlCallView *self, gboolean can_record)
{
  g_return_if_fail (RL_IS_CALL_VIEW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->record_button), can_record);
  gtk_widget_set_visible (GTK_WIDGET (self->park_button), can_record);
}

/* Compact (a window docked at the seeds' widget size): the avatar and the
 * spare margins give their height to the controls. */
void
rl_call_view_set_compact (RlCallView *self, gboolean compact)
{
  GtkWidget *box;

  g_return_if_fail (RL_IS_CALL_VIEW (self));

  box = gtk_widget_get_parent (GTK_WIDGET (self->avatar));
  gtk_widget_set_visible (GTK_WIDGET (self->avatar), !compact);
  gtk_widget_set_margin_top (box, compact ? 6 : 24);
  gtk_widget_set_margin_bottom (box, compact ? 6 : 24);
}

/* @menu: the free park slots, as phone.park items for the current call */
void
rl_call_view_set_park_menu (RlCallView *self, GMenuModel *menu)
{
  g_return_if_fail (RL_IS_CALL_VIEW (self));

  gtk_menu_button_set_menu_model (self->park_button, menu);
}

RlCall *
rl_call_view_get_call (RlCallView *self)
{
  return self->call;
}

/* A key typed while the call is up: a DTMF digit. */
void
rl_call_view_send_dtmf (RlCallView *self, const char *key)
{
  if (self->call && rl_call_is_active (self->call))
    gtk_widget_activate_action (GTK_WIDGET (self), "call.dtmf", "s", key);
}
