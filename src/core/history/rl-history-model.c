/* rl-history-model.c
 *
 * A list over 100k calls must cost what the screen shows, not what the
 * database holds. The model knows only the number of matching calls; an
 * item asked for is a placeholder entry from a page of PAGE_SIZE that the
 * database worker reads and that is filled in place when it arrives. At most
 * MAX_PAGES pages stay cached, least recently used dropped first.
 *
 * A new search or a change to the history reads the count and the first page
 * together and swaps them in at once, so the list never shows a blank first
 * screen; changes that come while a read is under way are folded into one
 * more read after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlHistoryModel"

#include "rl-history-model.h"
#include "rl-history-entry-private.h"

#define PAGE_SIZE 50
#define MAX_PAGES 24

struct _RlHistoryModel
{
  GObject parent_instance;

  RlHistory *history;
  char *search;
  guint n_items;
  GHashTable *pages; /* page index → GPtrArray of RlHistoryEntry */
  GQueue recent;     /* page indices, most recently used first */

  /* The read in flight: its count and first page, applied together. */
  GCancellable *cancellable;
  guint generation;
  gboolean loading;
  gboolean again;
  gboolean have_count;
  guint new_count;
  GPtrArray *new_first_page;
};

static void rl_history_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RlHistoryModel, rl_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      rl_history_model_list_model_init))

enum
{
  PROP_0,
  PROP_HISTORY,
  PROP_SEARCH,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  RlHistoryModel *self;
  guint generation;
  guint page;
} Read;

static Read *
read_new (RlHistoryModel *self, guint page)
{
  Read *read = g_new0 (Read, 1);

  read->self = g_object_ref (self);
  read->generation = self->generation;
  read->page = page;
  return read;
}

static void
read_free (Read *read)
{
  g_object_unref (read->self);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Read, read_free)

/* FALSE for a read nobody waits for any more: cancelled, or for an older
 * search. A failed read is said in the log and counts as empty. */
static gboolean
read_matters (Read *read, GError **error)
{
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || read->generation != read->self->generation)
    return FALSE;
  if (*error)
    g_warning ("%s", (*error)->message);
  g_clear_error (error);
  return TRUE;
}

/* ---- the page cache ---- */

static void
touch_page (RlHistoryModel *self, guint page)
{
  gpointer key = GUINT_TO_POINTER (page);

  if (self->recent.head && self->recent.head->data == key)
    return;
  g_queue_remove (&self->recent, key);
  g_queue_push_head (&self->recent, key);
  while (self->recent.length > MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->recent));
}

static void
drop_pages (RlHistoryModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
}

static void
fill_page (GPtrArray *placeholders, GPtrArray *entries)
{
  for (guint i = 0; i < MIN (placeholders->len, entries->len); i++)
    _rl_history_entry_copy_from (placeholders->pdata[i], entries->pdata[i]);
}

static void
on_page_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Read) read = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = rl_history_list_finish (RL_HISTORY (source), result, &error);
  GPtrArray *placeholders;

  if (!read_matters (read, &error) || entries == NULL)
    return;
  placeholders = g_hash_table_lookup (read->self->pages, GUINT_TO_POINTER (read->page));
  if (placeholders)
    fill_page (placeholders, entries);
}

static void
read_page (RlHistoryModel *self, guint page)
{
  rl_history_list_async (self->history, self->search, page * PAGE_SIZE, PAGE_SIZE,
                         self->cancellable, on_page_read, read_new (self, page));
}

static GPtrArray *
load_page (RlHistoryModel *self, guint page)
{
  GPtrArray *entries = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  guint size;

  if (entries)
    return entries;
  size = MIN (PAGE_SIZE, self->n_items - page * PAGE_SIZE);
  entries = g_ptr_array_new_full (size, g_object_unref);
  for (guint i = 0; i < size; i++)
    g_ptr_array_add (entries, _rl_history_entry_new_placeholder ());
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), entries);
  read_page (self, page);
  return entries;
}

/* ---- reading the count and first page ---- */

static void refresh (RlHistoryModel *self);

static void
set_loading (RlHistoryModel *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Same number of calls: the rows on screen are refreshed in place (a
 * recording URL, a name). Otherwise the list starts again from the top. */
static void
apply (RlHistoryModel *self)
{
  guint old = self->n_items;
  g_autoptr (GPtrArray) first = g_steal_pointer (&self->new_first_page);

  if (self->new_count == old && g_hash_table_size (self->pages) > 0)
    {
      GHashTableIter iter;
      gpointer page, entries;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &page, &entries))
        if (GPOINTER_TO_UINT (page) == 0)
          fill_page (entries, first);
        else
          read_page (self, GPOINTER_TO_UINT (page));
    }
  else
    {
      drop_pages (self);
      self->n_items = self->new_count;
      if (first->len > 0)
        {
          g_hash_table_insert (self->pages, GUINT_TO_POINTER (0), g_ptr_array_ref (first));
          touch_page (self, 0);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
      if (old != self->n_items)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  set_loading (self, FALSE);
  if (self->again)
    refresh (self);
}

static void
maybe_apply (RlHistoryModel *self)
{
  if (self->have_count && self->new_first_page)
    apply (self);
}

static void
on_counted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Read) read = user_data;
  g_autoptr (GError) error = NULL;
  guint count = 0;

  rl_history_count_finish (RL_HISTORY (source), result, &count, &error);
  if (!read_matters (read, &error))
    return;
  read->self->have_count = TRUE;
  read->self->new_count = count;
  maybe_apply (read->self);
}

static void
on_first_page_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Read) read = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = rl_history_list_finish (RL_HISTORY (source), result, &error);

  if (!read_matters (read, &error))
    return;
  read->self->new_first_page
    = entries ? g_steal_pointer (&entries) : g_ptr_array_new_with_free_func (g_object_unref);
  maybe_apply (read->self);
}

/* The database worker runs jobs in order, so the count and the first page
 * describe the same rows. */
static void
refresh (RlHistoryModel *self)
{
  if (self->loading)
    {
      self->again = TRUE;
      return;
    }
  self->again = FALSE;
  self->have_count = FALSE;
  g_clear_pointer (&self->new_first_page, g_ptr_array_unref);
  set_loading (self, TRUE);
  rl_history_count_async (self->history, self->search, self->cancellable, on_counted,
                          read_new (self, 0));
  rl_history_list_async (self->history, self->search, 0, PAGE_SIZE, self->cancellable,
                         on_first_page_read, read_new (self, 0));
}

/* A new search drops whatever was being read for the old one. */
static void
restart (RlHistoryModel *self)
{
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->loading = FALSE; /* refresh () sets it again: no FALSE in between */
  refresh (self);
}

/* ---- GListModel ---- */

static GType
rl_history_model_get_item_type (GListModel *model)
{
  return RL_TYPE_HISTORY_ENTRY;
}

static guint
rl_history_model_get_n_items (GListModel *model)
{
  return RL_HISTORY_MODEL (model)->n_items;
}

static gpointer
rl_history_model_get_item (GListModel *model, guint position)
{
  RlHistoryModel *self = RL_HISTORY_MODEL (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *entries;

  if (position >= self->n_items)
    return NULL;
  entries = load_page (self, page);
  touch_page (self, page);
  if (position % PAGE_SIZE >= entries->len)
    return NULL;
  return g_object_ref (entries->pdata[position % PAGE_SIZE]);
}

static void
rl_history_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rl_history_model_get_item_type;
  iface->get_n_items = rl_history_model_get_n_items;
  iface->get_item = rl_history_model_get_item;
}

/* ---- GObject ---- */

const char *
rl_history_model_get_search (RlHistoryModel *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_MODEL (self), NULL);

  return self->search ? self->search : "";
}

/* Calls whose name or number contains @search; "" or NULL for all. */
void
rl_history_model_set_search (RlHistoryModel *self, const char *search)
{
  g_return_if_fail (RL_IS_HISTORY_MODEL (self));

  g_autofree char *stripped = g_strstrip (g_strdup (search ? search : ""));

  if (g_strcmp0 (stripped, rl_history_model_get_search (self)) == 0)
    return;
  g_free (self->search);
  self->search = *stripped ? g_steal_pointer (&stripped) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
  restart (self);
}

/* A search is likely soon (the list is on screen): the history builds its
 * search index now, in the background, rather than at the first search. */
void
rl_history_model_prepare_search (RlHistoryModel *self)
{
  g_return_if_fail (RL_IS_HISTORY_MODEL (self));

  rl_history_prepare_search (self->history);
}

/* TRUE until the count and first page of a new search are in. */
gboolean
rl_history_model_get_loading (RlHistoryModel *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_MODEL (self), FALSE);

  return self->loading;
}

static void
rl_history_model_constructed (GObject *object)
{
  RlHistoryModel *self = RL_HISTORY_MODEL (object);

  G_OBJECT_CLASS (rl_history_model_parent_class)->constructed (object);
  g_signal_connect_object (self->history, "changed", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
}

static void
rl_history_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlHistoryModel *self = RL_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, rl_history_model_get_search (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_history_model_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  RlHistoryModel *self = RL_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;
    case PROP_SEARCH:
      rl_history_model_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_history_model_dispose (GObject *object)
{
  RlHistoryModel *self = RL_HISTORY_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->history);
  G_OBJECT_CLASS (rl_history_model_parent_class)->dispose (object);
}

static void
rl_history_model_finalize (GObject *object)
{
  RlHistoryModel *self = RL_HISTORY_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->new_first_page, g_ptr_array_unref);
  g_hash_table_unref (self->pages);
  g_queue_clear (&self->recent);
  g_free (self->search);
  G_OBJECT_CLASS (rl_history_model_parent_class)->finalize (object);
}

static void
rl_history_model_class_init (RlHistoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rl_history_model_constructed;
  object_class->get_property = rl_history_model_get_property;
  object_class->set_property = rl_history_model_set_property;
  object_class->dispose = rl_history_model_dispose;
  object_class->finalize = rl_history_model_finalize;

  properties[PROP_HISTORY]
    = g_param_spec_object ("history", NULL, NULL, RL_TYPE_HISTORY,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH] = g_param_spec_string (
    "search", NULL, NULL, "", G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING]
    = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS]
    = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_history_model_init (RlHistoryModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->cancellable = g_cancellable_new ();
}

RlHistoryModel *
rl_history_model_new (RlHistory *history)
{
  return g_object_new (RL_TYPE_HISTORY_MODEL, "history", history, NULL);
}
