/* rl-history-view.c
 *
 * Every call, newest first, from the history database through
 * RlHistoryModel: a GtkListView binds only the rows on screen, and each row
 * follows its entry's properties, so rows read late fill in by themselves.
 * Activating a row, or its button, calls the number back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlHistoryView"

#include "config.h"

#include "rl-history-view.h"
#include "rl-clock.h"
#include "rl-history-model.h"

#include <glib/gi18n.h>

struct _RlHistoryView
{
  AdwBin parent_instance;

  GtkSearchEntry *search_entry;
  GtkStack *stack;
  GtkListView *list;
  RlHistoryModel *model;
};

G_DEFINE_FINAL_TYPE (RlHistoryView, rl_history_view, ADW_TYPE_BIN)

/* ---- the row's closures (rl-history-row.ui) ---- */

static char *
entry_icon (GtkListItem *item, const char *direction, const char *status)
{
  if (g_strcmp0 (status, "missed") == 0)
    return g_strdup ("call-missed-symbolic");
  return g_strdup (g_strcmp0 (direction, "inbound") == 0 ? "call-incoming-symbolic"
                                                         : "call-outgoing-symbolic");
}

static char *
entry_title (GtkListItem *item, const char *name, const char *number)
{
  return g_strdup (name && *name ? name : number);
}

static char *
status_text (const char *status, guint duration)
{
  if (g_strcmp0 (status, "missed") == 0)
    return g_strdup (_ ("Missed"));
  if (g_strcmp0 (status, "rejected") == 0)
    return g_strdup (_ ("Declined"));
  if (g_strcmp0 (status, "failed") == 0)
    return g_strdup (_ ("Not answered"));
  return rl_clock_format_duration (duration);
}

/* The number under the name, or just how the call went. */
static char *
entry_subtitle (GtkListItem *item, const char *name, const char *number, const char *status,
                guint duration)
{
  g_autofree char *how = NULL;

  if (status == NULL)
    return g_strdup ("");
  how = status_text (status, duration);
  if (name && *name)
    return g_strdup_printf ("%s · %s", number, how);
  return g_steal_pointer (&how);
}

/* Today's calls by time, this week's by day, older ones by date. */
static char *
entry_time (GtkListItem *item, gint64 started_at)
{
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) today = NULL;
  GTimeSpan age;

  if (started_at == 0)
    return g_strdup ("");
  when = g_date_time_new_from_unix_local (started_at / 1000);
  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);
  age = g_date_time_difference (today, when);
  if (age <= 0)
    return rl_clock_format (when);
  if (age < 6 * G_TIME_SPAN_DAY)
    return g_date_time_format (when, "%a");
  return g_date_time_format (when, "%x");
}

static GVariant *
entry_dial_target (GtkListItem *item, const char *number)
{
  return g_variant_ref_sink (g_variant_new (
    "(s@a{sv})", number ? number : "", g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)));
}

/* ---- the page ---- */

static void
on_search_changed (RlHistoryView *self)
{
  if (self->model)
    rl_history_model_set_search (self->model,
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_activate (RlHistoryView *self, guint position)
{
  g_autoptr (RlHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (entry && rl_history_entry_get_loaded (entry))
    gtk_widget_activate_action (GTK_WIDGET (self), "phone.dial", "(s@a{sv})",
                                rl_history_entry_get_number (entry),
                                g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

/* The index for searching is built when the page is first seen, not at
 * start-up for an agent who may never search. */
static void
on_map (RlHistoryView *self)
{
  if (self->model)
    rl_history_model_prepare_search (self->model);
}

static void
update_stack (RlHistoryView *self)
{
  const char *page = "list";

  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    page = *rl_history_model_get_search (self->model) ? "no-results" : "empty";
  gtk_stack_set_visible_child_name (self->stack, page);
}

void
rl_history_view_set_history (RlHistoryView *self, RlHistory *history)
{
  g_autoptr (GtkSelectionModel) selection = NULL;

  g_return_if_fail (self->model == NULL);
  self->model = rl_history_model_new (history);
  selection
    = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model))));
  gtk_list_view_set_model (self->list, selection);
  g_signal_connect_object (self->model, "notify::n-items", G_CALLBACK (update_stack), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_stack), self,
                           G_CONNECT_SWAPPED);
  update_stack (self);
}

GtkWidget *
rl_history_view_get_search_entry (RlHistoryView *self)
{
  return GTK_WIDGET (self->search_entry);
}

static void
rl_history_view_dispose (GObject *object)
{
  RlHistoryView *self = RL_HISTORY_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_HISTORY_VIEW);
  g_clear_object (&self->model);
  G_OBJECT_CLASS (rl_history_view_parent_class)->dispose (object);
}

static void
rl_history_view_class_init (RlHistoryViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = rl_history_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ringline/Ringline/rl-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RlHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RlHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, RlHistoryView, list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
rl_history_view_init (RlHistoryView *self)
{
  g_autoptr (GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr (GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_type_ensure (RL_TYPE_HISTORY_ENTRY);
  gtk_builder_cscope_add_callback_symbols (
    GTK_BUILDER_CSCOPE (scope), "entry_icon", G_CALLBACK (entry_icon), "entry_title",
    G_CALLBACK (entry_title), "entry_subtitle", G_CALLBACK (entry_subtitle), "entry_time",
    G_CALLBACK (entry_time), "entry_dial_target", G_CALLBACK (entry_dial_target), NULL);
  factory = gtk_builder_list_item_factory_new_from_resource (
    scope, "/org/ringline/Ringline/rl-history-row.ui");
  gtk_list_view_set_factory (self->list, factory);
}
