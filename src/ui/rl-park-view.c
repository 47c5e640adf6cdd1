/* rl-park-view.c
 *
 * The call center's park slots, live: who is parked where, by whom, since
 * when, with Retrieve on each taken slot and Park on each free one (for the
 * current call). Slots are read only while this page is on screen. The
 * free slots also make the call view's Park menu.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlParkView"

#include "config.h"

#include "rl-park-view.h"
#include "rl-clock.h"

#include <glib/gi18n.h>

struct _RlParkView
{
  AdwBin parent_instance;

  GtkListBox *list;
  RlParkSlots *slots;
  GMenu *park_menu;
  gboolean holding;
};

G_DEFINE_FINAL_TYPE (RlParkView, rl_park_view, ADW_TYPE_BIN)

static char *
describe (GVariant *slot)
{
  const char *number = "", *parked_by = "";
  gint64 parked_at = 0;
  g_autoptr (GDateTime) since = NULL;
  g_autofree char *time = NULL;
  gboolean occupied = FALSE;

  g_variant_lookup (slot, "occupied", "b", &occupied);
  if (!occupied)
    return g_strdup (C_ ("park slot", "Free"));
  g_variant_lookup (slot, "phone_number", "&s", &number);
  g_variant_lookup (slot, "parked_by", "&s", &parked_by);
  g_variant_lookup (slot, "parked_at", "x", &parked_at);
  since = g_date_time_new_from_unix_local (parked_at / 1000);
  time = since ? rl_clock_format (since) : g_strdup ("");
  if (*parked_by)
    /* Translators: a parked call: its number, who parked it, and when. */
    return g_strdup_printf (_ ("%s, parked by %s at %s"), number, parked_by, time);
  /* Translators: a parked call: its number and when it was parked. */
  return g_strdup_printf (_ ("%s, parked at %s"), number, time);
}

static GtkWidget *
slot_row (GVariant *slot)
{
  const char *extension = "", *label = "";
  gboolean occupied = FALSE;
  g_autofree char *subtitle = describe (slot);
  g_autofree char *title = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  g_variant_lookup (slot, "extension", "&s", &extension);
  g_variant_lookup (slot, "label", "&s", &label);
  g_variant_lookup (slot, "occupied", "b", &occupied);
  title = g_strdup_printf ("%s (%s)", label, extension);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  button = gtk_button_new_with_label (occupied ? C_ ("verb", "Retrieve") : C_ ("verb", "Park"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (occupied)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "phone.retrieve");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", extension);
    }
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "phone.park");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", "", extension);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
add_park_item (RlParkView *self, GVariant *slot)
{
  const char *extension = "", *label = "";
  g_autofree char *text = NULL;
  g_autoptr (GMenuItem) item = NULL;

  g_variant_lookup (slot, "extension", "&s", &extension);
  g_variant_lookup (slot, "label", "&s", &label);
  text = g_strdup_printf ("%s (%s)", label, extension);
  item = g_menu_item_new (text, NULL);
  g_menu_item_set_action_and_target (item, "phone.park", "(ss)", "", extension);
  g_menu_append_item (self->park_menu, item);
}

static void
update (RlParkView *self)
{
  GtkWidget *child;
  GVariantIter iter;
  GVariant *slot;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  g_menu_remove_all (self->park_menu);
  g_variant_iter_init (&iter, rl_park_slots_get_slots (self->slots));
  while ((slot = g_variant_iter_next_value (&iter)))
    {
      g_autoptr (GVariant) owned = slot;
      gboolean occupied = FALSE;

      gtk_list_box_append (self->list, slot_row (slot));
      g_variant_lookup (slot, "occupied", "b", &occupied);
      if (!occupied)
        add_park_item (self, slot);
    }
}

static void
hold (RlParkView *self, gboolean on)
{
  if (self->slots == NULL || self->holding == on)
    return;
  self->holding = on;
  if (on)
    rl_park_slots_hold (self->slots);
  else
    rl_park_slots_release (self->slots);
}

static void
rl_park_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rl_park_view_parent_class)->map (widget);
  hold (RL_PARK_VIEW (widget), TRUE);
}

static void
rl_park_view_unmap (GtkWidget *widget)
{
  hold (RL_PARK_VIEW (widget), FALSE);
  GTK_WIDGET_CLASS (rl_park_view_parent_class)->unmap (widget);
}

static void
rl_park_view_dispose (GObject *object)
{
  RlParkView *self = RL_PARK_VIEW (object);

  hold (self, FALSE);
  g_clear_object (&self->slots);
  g_clear_object (&self->park_menu);
  G_OBJECT_CLASS (rl_park_view_parent_class)->dispose (object);
}

static void
rl_park_view_class_init (RlParkViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = rl_park_view_dispose;
  widget_class->map = rl_park_view_map;
  widget_class->unmap = rl_park_view_unmap;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ringline/Ringline/rl-park-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RlParkView, list);
}

static void
rl_park_view_init (RlParkView *self)
{
  self->park_menu = g_menu_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
rl_park_view_set_slots (RlParkView *self, RlParkSlots *slots)
{
  g_return_if_fail (RL_IS_PARK_VIEW (self));
  g_return_if_fail (self->slots == NULL);

  self->slots = g_object_ref (slots);
  g_signal_connect_object (slots, "notify::slots", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    hold (self, TRUE);
  update (self);
}

/**
 * rl_park_view_get_park_menu:
 *
 * Returns: (transfer none): the free slots, as phone.park items for the
 *   current call
 */
GMenuModel *
rl_park_view_get_park_menu (RlParkView *self)
{
  return G_MENU_MODEL (self->park_menu);
}
