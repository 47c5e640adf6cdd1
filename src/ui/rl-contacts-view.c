/* rl-contacts-view.c
 *
 * The contacts page: a search over every source, its best matches, and a
 * call button per number ("phone.dial", so it follows whether the phone can
 * dial). The index grows while an import runs, so the results are looked up
 * again as it does, at most a few times a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlContactsView"

#include "config.h"

#include "rl-contacts-view.h"

#include <glib/gi18n.h>

#define MAX_RESULTS 50
#define REFRESH_DELAY_MS 250

struct _RlContactsView
{
  AdwBin parent_instance;

  GtkSearchEntry *search_entry;
  GtkRevealer *progress_revealer;
  GtkProgressBar *progress_bar;
  GtkStack *results_stack;
  AdwStatusPage *hint_page;
  GtkListBox *results_list;

  RlContactStore *store;
  guint refresh_id;
};

G_DEFINE_FINAL_TYPE (RlContactsView, rl_contacts_view, ADW_TYPE_BIN)

static GtkWidget *
call_button (const char *number)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("call-start-symbolic");
  g_autofree char *label = g_strdup_printf (_ ("Call %s"), number);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "phone.dial");
  gtk_actionable_set_action_target_value (
    GTK_ACTIONABLE (button),
    g_variant_new ("(s@a{sv})", number, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)));
  return button;
}

/* A row that calls @number when activated. */
static GtkWidget *
number_row (const char *title, const char *subtitle, const char *number)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = call_button (number);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

/* One number: the row calls it. Several: the row opens to one row each. */
static GtkWidget *
contact_row (RlContact *contact)
{
  guint n_phones = contact->phones ? g_strv_length (contact->phones) : 0;
  g_autofree char *count = NULL;
  GtkWidget *row;

  if (n_phones == 1)
    {
      g_autofree char *subtitle
        = contact->company ? g_strdup_printf ("%s · %s", contact->phones[0], contact->company)
                           : g_strdup (contact->phones[0]);

      return number_row (contact->name, subtitle, contact->phones[0]);
    }
  row = adw_expander_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), contact->name);
  count = g_strdup_printf (ngettext ("%u number", "%u numbers", n_phones), n_phones);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row),
                                 contact->company ? contact->company : count);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), n_phones > 0);
  for (guint i = 0; i < n_phones; i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                              number_row (contact->phones[i], NULL, contact->phones[i]));
  return row;
}

static void
show_hint (RlContactsView *self)
{
  guint n = rl_contact_store_get_n_contacts (self->store);
  g_autofree char *count = NULL;

  if (n == 0)
    {
      adw_status_page_set_title (self->hint_page, _ ("No Contacts"));
      adw_status_page_set_description (self->hint_page,
                                       _ ("Import a vCard file, or drop one on the window"));
    }
  else
    {
      count = g_strdup_printf (
        ngettext ("Search %u contact by name or number", "Search %u contacts by name or number", n),
        n);
      adw_status_page_set_title (self->hint_page, _ ("Contacts"));
      adw_status_page_set_description (self->hint_page, count);
    }
  gtk_stack_set_visible_child_name (self->results_stack, "hint");
}

static void
refresh (RlContactsView *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr (GPtrArray) results = NULL;
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->store == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))))
    gtk_list_box_remove (self->results_list, child);
  if (*query == '\0')
    {
      show_hint (self);
      return;
    }
  results = rl_contact_store_search (self->store, query, MAX_RESULTS);
  for (guint i = 0; i < results->len; i++)
    gtk_list_box_append (self->results_list, contact_row (g_ptr_array_index (results, i)));
  gtk_stack_set_visible_child_name (self->results_stack, results->len ? "results" : "no-results");
}

static gboolean
refresh_later_cb (gpointer data)
{
  RlContactsView *self = data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* While an import adds a segment every few ms, look again a few times a
 * second, not for each. */
static void
refresh_later (RlContactsView *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_later_cb, self);
}

static void
on_search_changed (RlContactsView *self)
{
  refresh (self);
}

static void
on_import_progress (RlContactsView *self, const char *label, guint added, guint skipped)
{
  g_autofree char *base = g_path_get_basename (label);
  g_autofree char *text
    = g_strdup_printf (ngettext ("%s: %u contact", "%s: %u contacts", added), base, added);

  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_pulse (self->progress_bar);
}

static void
on_busy_changed (RlContactsView *self)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, rl_contact_store_is_busy (self->store));
  refresh_later (self);
}

static void
rl_contacts_view_dispose (GObject *object)
{
  RlContactsView *self = RL_CONTACTS_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_CONTACTS_VIEW);
  G_OBJECT_CLASS (rl_contacts_view_parent_class)->dispose (object);
}

static void
rl_contacts_view_class_init (RlContactsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_contacts_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ringline/Ringline/rl-contacts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RlContactsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RlContactsView, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, RlContactsView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RlContactsView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, RlContactsView, hint_page);
  gtk_widget_class_bind_template_child (widget_class, RlContactsView, results_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
rl_contacts_view_init (RlContactsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
rl_contacts_view_set_store (RlContactsView *self, RlContactStore *store)
{
  g_return_if_fail (RL_IS_CONTACTS_VIEW (self));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (refresh_later), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "import-progress", G_CALLBACK (on_import_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "notify::busy", G_CALLBACK (on_busy_changed), self,
                           G_CONNECT_SWAPPED);
  on_busy_changed (self);
  refresh (self);
}

GtkWidget *
rl_contacts_view_get_search_entry (RlContactsView *self)
{
  return GTK_WIDGET (self->search_entry);
}
