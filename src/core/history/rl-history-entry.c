/* rl-history-entry.c
 *
 * A list asks for rows before the database has read them: such an entry is a
 * placeholder (loaded FALSE) that is filled in place when its page arrives,
 * so a row bound to it updates through notify instead of being rebuilt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlHistoryEntry"

#include "rl-history-entry-private.h"

struct _RlHistoryEntry
{
  GObject parent_instance;

  gboolean loaded;
  char *call_id;
  char *direction;
  char *status;
  char *number;
  char *name;
  gint64 started_at;
  guint duration;
};

G_DEFINE_FINAL_TYPE (RlHistoryEntry, rl_history_entry, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LOADED,
  PROP_CALL_ID,
  PROP_DIRECTION,
  PROP_STATUS,
  PROP_NUMBER,
  PROP_NAME,
  PROP_STARTED_AT,
  PROP_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_text (RlHistoryEntry *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_fields (RlHistoryEntry *self, const RlHistoryEntryFields *f)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_text (self, &self->call_id, f->call_id, PROP_CALL_ID);
  set_text (self, &self->direction, f->direction, PROP_DIRECTION);
  set_text (self, &self->status, f->status, PROP_STATUS);
  set_text (self, &self->number, f->number, PROP_NUMBER);
  set_text (self, &self->name, f->name, PROP_NAME);
  if (self->started_at != f->started_at)
    {
      self->started_at = f->started_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
    }
  if (self->duration != f->duration)
    {
      self->duration = f->duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Called on the database's worker thread: no notify can be watched yet. */
RlHistoryEntry *
_rl_history_entry_new (const RlHistoryEntryFields *fields)
{
  RlHistoryEntry *self = g_object_new (RL_TYPE_HISTORY_ENTRY, NULL);

  set_fields (self, fields);
  return self;
}

RlHistoryEntry *
_rl_history_entry_new_placeholder (void)
{
  return g_object_new (RL_TYPE_HISTORY_ENTRY, NULL);
}

void
_rl_history_entry_copy_from (RlHistoryEntry *self, RlHistoryEntry *other)
{
  set_fields (self, &(RlHistoryEntryFields){
                      .call_id = other->call_id,
                      .direction = other->direction,
                      .status = other->status,
                      .number = other->number,
                      .name = other->name,
                      .started_at = other->started_at,
                      .duration = other->duration,
                    });
}

gboolean
rl_history_entry_get_loaded (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), FALSE);

  return self->loaded;
}

const char *
rl_history_entry_get_call_id (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), NULL);

  return self->call_id;
}

const char *
rl_history_entry_get_direction (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), NULL);

  return self->direction;
}

/* answered, missed, rejected or failed */
const char *
rl_history_entry_get_status (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), NULL);

  return self->status;
}

const char *
rl_history_entry_get_number (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), NULL);

  return self->number;
}

const char *
rl_history_entry_get_name (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), NULL);

  return self->name;
}

gint64
rl_history_entry_get_started_at (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), 0);

  return self->started_at;
}

guint
rl_history_entry_get_duration (RlHistoryEntry *self)
{
  g_return_val_if_fail (RL_IS_HISTORY_ENTRY (self), 0);

  return self->duration;
}

static void
rl_history_entry_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlHistoryEntry *self = RL_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_CALL_ID:
      g_value_set_string (value, self->call_id);
      break;
    case PROP_DIRECTION:
      g_value_set_string (value, self->direction);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STARTED_AT:
      g_value_set_int64 (value, self->started_at);
      break;
    case PROP_DURATION:
      g_value_set_uint (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_history_entry_finalize (GObject *object)
{
  RlHistoryEntry *self = RL_HISTORY_ENTRY (object);

  g_free (self->call_id);
  g_free (self->direction);
  g_free (self->status);
  g_free (self->number);
  g_free (self->name);
  G_OBJECT_CLASS (rl_history_entry_parent_class)->finalize (object);
}

static void
rl_history_entry_class_init (RlHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = rl_history_entry_get_property;
  object_class->finalize = rl_history_entry_finalize;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_CALL_ID] = g_param_spec_string ("call-id", NULL, NULL, NULL, flags);
  properties[PROP_DIRECTION] = g_param_spec_string ("direction", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_STARTED_AT]
    = g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DURATION] = g_param_spec_uint ("duration", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_history_entry_init (RlHistoryEntry *self)
{
}
