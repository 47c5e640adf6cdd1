/* rl-audio-devices.c
 *
 * Asks the sound server (PulseAudio, or PipeWire through its PulseAudio
 * interface) which microphones and speakers there are, follows them as they
 * come and go, and moves a process's streams between them. The preferred
 * device of each role is kept even while it is unplugged: its effective
 * device is then the server's default, and it becomes effective again when it
 * comes back.
 *
 * Longer than most files: libpulse's asynchronous introspection (connect,
 * list, subscribe, move) is one conversation over the same state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlAudio"

#include "rl-audio-devices.h"
#include "rl-error.h"

#include <glib/gi18n.h>

#include <pulse/glib-mainloop.h>
#include <pulse/pulseaudio.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (pa_proplist, pa_proplist_free)

#define RECONNECT_SECONDS 3
#define REFRESH_DELAY_MS 50 /* events come in bursts: one refresh for a burst */

typedef struct
{
  char *id;
  char *label;
  guint32 index;
} Device;

struct _RlAudioDevices
{
  GObject parent_instance;

  pa_glib_mainloop *mainloop;
  pa_context *context;
  gboolean ready;
  gboolean tried; /* the first connection has succeeded or failed */
  guint reconnect_id;
  guint refresh_id;

  GPtrArray *sinks;   /* Device, the server's outputs */
  GPtrArray *sources; /* Device, its inputs (monitors left out) */
  char *default_sink;
  char *default_source;
  char *preferred[RL_AUDIO_N_ROLES];

  /* A refresh in progress: three queries, then the swap. */
  guint pending;
  GPtrArray *next_sinks;
  GPtrArray *next_sources;
};

G_DEFINE_FINAL_TYPE (RlAudioDevices, rl_audio_devices, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_READY,
  PROP_MICROPHONE,
  PROP_SPEAKER,
  PROP_RINGER,
  N_PROPS
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *const role_names[RL_AUDIO_N_ROLES] = { "microphone", "speaker", "ringer" };

gboolean
rl_audio_role_from_string (const char *name, RlAudioRole *role)
{
  for (guint i = 0; i < RL_AUDIO_N_ROLES; i++)
    if (g_strcmp0 (name, role_names[i]) == 0)
      {
        *role = i;
        return TRUE;
      }
  return FALSE;
}

const char *
rl_audio_role_to_string (RlAudioRole role)
{
  g_return_val_if_fail (role < RL_AUDIO_N_ROLES, "");
  return role_names[role];
}

/* Sound server names are plain ("alsa_output.usb-Jabra…analog-stereo"); the
 * check keeps anything else out of the ALSA configuration they end up in. */
gboolean
rl_audio_device_id_is_valid (const char *id)
{
  if (id == NULL || strlen (id) > 256)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("._-:@+", *p))
      return FALSE;
  return TRUE;
}

static void
device_free (gpointer data)
{
  Device *d = data;

  g_free (d->id);
  g_free (d->label);
  g_free (d);
}

static Device *
device_new (const char *id, const char *label, guint32 index)
{
  Device *d = g_new0 (Device, 1);

  d->id = g_strdup (id);
  d->label = g_strdup (label && *label ? label : id);
  d->index = index;
  return d;
}

static GPtrArray *
devices_for (RlAudioDevices *self, RlAudioRole role)
{
  return role == RL_AUDIO_ROLE_MICROPHONE ? self->sources : self->sinks;
}

static Device *
find (GPtrArray *devices, const char *id)
{
  for (guint i = 0; devices && i < devices->len; i++)
    {
      Device *d = g_ptr_array_index (devices, i);

      if (g_strcmp0 (d->id, id) == 0)
        return d;
    }
  return NULL;
}

static Device *
find_index (GPtrArray *devices, guint32 index)
{
  for (guint i = 0; i < devices->len; i++)
    {
      Device *d = g_ptr_array_index (devices, i);

      if (d->index == index)
        return d;
    }
  return NULL;
}

/* --- following the server --------------------------------------------- */

static void
refresh_done (RlAudioDevices *self)
{
  if (--self->pending > 0)
    return;
  g_ptr_array_unref (self->sinks);
  g_ptr_array_unref (self->sources);
  self->sinks = g_steal_pointer (&self->next_sinks);
  self->sources = g_steal_pointer (&self->next_sources);
  self->tried = TRUE;
  if (!self->ready)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  g_debug ("%u outputs, %u inputs", self->sinks->len, self->sources->len);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_server_info (pa_context *c, const pa_server_info *info, void *user_data)
{
  RlAudioDevices *self = user_data;

  if (info)
    {
      g_free (self->default_sink);
      g_free (self->default_source);
      self->default_sink = g_strdup (info->default_sink_name);
      self->default_source = g_strdup (info->default_source_name);
    }
  refresh_done (self);
}

static void
on_sink_info (pa_context *c, const pa_sink_info *info, int eol, void *user_data)
{
  RlAudioDevices *self = user_data;

  if (eol)
    {
      refresh_done (self);
      return;
    }
  if (rl_audio_device_id_is_valid (info->name))
    g_ptr_array_add (self->next_sinks, device_new (info->name, info->description, info->index));
}

static void
on_source_info (pa_context *c, const pa_source_info *info, int eol, void *user_data)
{
  RlAudioDevices *self = user_data;

  if (eol)
    {
      refresh_done (self);
      return;
    }
  /* A monitor is what an output plays, not a microphone. */
  if (info->monitor_of_sink == PA_INVALID_INDEX && rl_audio_device_id_is_valid (info->name))
    g_ptr_array_add (self->next_sources, device_new (info->name, info->description, info->index));
}

static void
run (pa_operation *op)
{
  if (op)
    pa_operation_unref (op);
}

static gboolean
refresh (gpointer user_data)
{
  RlAudioDevices *self = user_data;

  self->refresh_id = 0;
  if (self->pending > 0)
    {
      /* Asked again while a refresh runs: run another after it. */
      self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh, self);
      return G_SOURCE_REMOVE;
    }
  self->pending = 3;
  self->next_sinks = g_ptr_array_new_with_free_func (device_free);
  self->next_sources = g_ptr_array_new_with_free_func (device_free);
  run (pa_context_get_server_info (self->context, on_server_info, self));
  run (pa_context_get_sink_info_list (self->context, on_sink_info, self));
  run (pa_context_get_source_info_list (self->context, on_source_info, self));
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (RlAudioDevices *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh, self);
}

static void
on_subscribe (pa_context *c, pa_subscription_event_type_t type, uint32_t index, void *user_data)
{
  schedule_refresh (user_data);
}

static void connect_server (RlAudioDevices *self);

static gboolean
on_reconnect (gpointer user_data)
{
  RlAudioDevices *self = user_data;

  self->reconnect_id = 0;
  connect_server (self);
  return G_SOURCE_REMOVE;
}

static void
disconnect_server (RlAudioDevices *self)
{
  if (self->context == NULL)
    return;
  pa_context_set_state_callback (self->context, NULL, NULL);
  pa_context_set_subscribe_callback (self->context, NULL, NULL);
  pa_context_disconnect (self->context);
  g_clear_pointer (&self->context, pa_context_unref);
  g_clear_pointer (&self->next_sinks, g_ptr_array_unref);
  g_clear_pointer (&self->next_sources, g_ptr_array_unref);
  self->pending = 0;
}

static void
on_state (pa_context *c, void *user_data)
{
  RlAudioDevices *self = user_data;

  switch (pa_context_get_state (c))
    {
    case PA_CONTEXT_READY:
      pa_context_set_subscribe_callback (c, on_subscribe, self);
      run (pa_context_subscribe (
        c, PA_SUBSCRIPTION_MASK_SINK | PA_SUBSCRIPTION_MASK_SOURCE | PA_SUBSCRIPTION_MASK_SERVER,
        NULL, NULL));
      schedule_refresh (self);
      break;
    case PA_CONTEXT_FAILED:
    case PA_CONTEXT_TERMINATED:
      g_debug ("sound server: %s", pa_strerror (pa_context_errno (c)));
      disconnect_server (self);
      g_ptr_array_set_size (self->sinks, 0);
      g_ptr_array_set_size (self->sources, 0);
      if (self->ready || !self->tried)
        {
          self->tried = TRUE;
          self->ready = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
          g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
        }
      /* The server may come back (a desktop restarting its audio). */
      self->reconnect_id = g_timeout_add_seconds (RECONNECT_SECONDS, on_reconnect, self);
      break;
    default:
      break;
    }
}

static void
connect_server (RlAudioDevices *self)
{
  g_autoptr (pa_proplist) props = pa_proplist_new ();
  pa_context *context;

  pa_proplist_sets (props, PA_PROP_APPLICATION_NAME, "Ringline");
  pa_proplist_sets (props, PA_PROP_APPLICATION_ID, "org.ringline.Ringline");
  self->context
    = pa_context_new_with_proplist (pa_glib_mainloop_get_api (self->mainloop), "Ringline", props);
  pa_context_set_state_callback (self->context, on_state, self);
  context = self->context;
  /* A refusal may already have gone through on_state(), which drops the
   * context and schedules the next attempt. */
  if (pa_context_connect (context, NULL, PA_CONTEXT_NOAUTOSPAWN | PA_CONTEXT_NOFAIL, NULL) < 0
      && self->context == context)
    on_state (context, self);
}

/* --- moving streams --------------------------------------------------- */

typedef struct
{
  RlAudioDevices *self;
  char *pid;
  char *target;
} Route;

static void
route_free (Route *route)
{
  g_object_unref (route->self);
  g_free (route->pid);
  g_free (route->target);
  g_free (route);
}

static gboolean
stream_of (pa_proplist *props, const char *pid)
{
  const char *owner = pa_proplist_gets (props, PA_PROP_APPLICATION_PROCESS_ID);

  return g_strcmp0 (owner, pid) == 0;
}

static void
on_sink_input (pa_context *c, const pa_sink_input_info *info, int eol, void *user_data)
{
  Route *route = user_data;
  Device *now;

  if (eol)
    {
      route_free (route);
      return;
    }
  now = find_index (route->self->sinks, info->sink);
  if (stream_of (info->proplist, route->pid) && (now == NULL || g_strcmp0 (now->id, route->target)))
    {
      g_debug ("moving playback stream %u to %s", info->index, route->target);
      run (pa_context_move_sink_input_by_name (c, info->index, route->target, NULL, NULL));
    }
}

static void
on_source_output (pa_context *c, const pa_source_output_info *info, int eol, void *user_data)
{
  Route *route = user_data;
  Device *now;

  if (eol)
    {
      route_free (route);
      return;
    }
  now = find_index (route->self->sources, info->source);
  if (stream_of (info->proplist, route->pid) && (now == NULL || g_strcmp0 (now->id, route->target)))
    {
      g_debug ("moving capture stream %u to %s", info->index, route->target);
      run (pa_context_move_source_output_by_name (c, info->index, route->target, NULL, NULL));
    }
}

static Route *
route_new (RlAudioDevices *self, guint pid, const char *target)
{
  Route *route = g_new0 (Route, 1);

  route->self = g_object_ref (self);
  route->pid = g_strdup_printf ("%u", pid);
  route->target = g_strdup (target);
  return route;
}

/**
 * rl_audio_devices_route_process:
 * @pid: the process whose streams move (the call engine)
 *
 * Moves every playback stream of @pid to the effective speaker and every
 * capture stream to the effective microphone, without interrupting them.
 */
void
rl_audio_devices_route_process (RlAudioDevices *self, guint pid)
{
  const char *speaker = rl_audio_devices_get_effective (self, RL_AUDIO_ROLE_SPEAKER);
  const char *microphone = rl_audio_devices_get_effective (self, RL_AUDIO_ROLE_MICROPHONE);

  g_return_if_fail (RL_IS_AUDIO_DEVICES (self));
  if (!self->ready || pid == 0)
    return;
  speaker = *speaker ? speaker : self->default_sink;
  microphone = *microphone ? microphone : self->default_source;
  if (speaker && *speaker)
    run (pa_context_get_sink_input_info_list (self->context, on_sink_input,
                                              route_new (self, pid, speaker)));
  if (microphone && *microphone)
    run (pa_context_get_source_output_info_list (self->context, on_source_output,
                                                 route_new (self, pid, microphone)));
}

/* --- the object ------------------------------------------------------- */

static void
rl_audio_devices_dispose (GObject *object)
{
  RlAudioDevices *self = RL_AUDIO_DEVICES (object);

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  disconnect_server (self);
  g_clear_pointer (&self->mainloop, pa_glib_mainloop_free);
  G_OBJECT_CLASS (rl_audio_devices_parent_class)->dispose (object);
}

static void
rl_audio_devices_finalize (GObject *object)
{
  RlAudioDevices *self = RL_AUDIO_DEVICES (object);

  g_ptr_array_unref (self->sinks);
  g_ptr_array_unref (self->sources);
  g_free (self->default_sink);
  g_free (self->default_source);
  for (guint i = 0; i < RL_AUDIO_N_ROLES; i++)
    g_free (self->preferred[i]);
  G_OBJECT_CLASS (rl_audio_devices_parent_class)->finalize (object);
}

static void
rl_audio_devices_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlAudioDevices *self = RL_AUDIO_DEVICES (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_MICROPHONE:
    case PROP_SPEAKER:
    case PROP_RINGER:
      g_value_set_string (value, self->preferred[prop_id - PROP_MICROPHONE]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_audio_devices_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  RlAudioDevices *self = RL_AUDIO_DEVICES (object);
  g_autoptr (GError) error = NULL;

  switch (prop_id)
    {
    case PROP_MICROPHONE:
    case PROP_SPEAKER:
    case PROP_RINGER:
      if (!rl_audio_devices_set_preferred (self, prop_id - PROP_MICROPHONE,
                                           g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_audio_devices_class_init (RlAudioDevicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rl_audio_devices_dispose;
  object_class->finalize = rl_audio_devices_finalize;
  object_class->get_property = rl_audio_devices_get_property;
  object_class->set_property = rl_audio_devices_set_property;

  properties[PROP_READY]
    = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The preferred device of each role; "" follows the system's default. */
  properties[PROP_MICROPHONE] = g_param_spec_string ("microphone", NULL, NULL, "", rw);
  properties[PROP_SPEAKER] = g_param_spec_string ("speaker", NULL, NULL, "", rw);
  properties[PROP_RINGER] = g_param_spec_string ("ringer", NULL, NULL, "", rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RlAudioDevices::changed:
   *
   * The devices, the server's defaults or a preference changed: the
   * effective device of a role may be another one now.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rl_audio_devices_init (RlAudioDevices *self)
{
  self->sinks = g_ptr_array_new_with_free_func (device_free);
  self->sources = g_ptr_array_new_with_free_func (device_free);
  for (guint i = 0; i < RL_AUDIO_N_ROLES; i++)
    self->preferred[i] = g_strdup ("");
  self->mainloop = pa_glib_mainloop_new (NULL);
}

/* Connects to the sound server in the background; "ready" says when the
 * device lists are known. Without a sound server it stays not ready and
 * tries again now and then. */
RlAudioDevices *
rl_audio_devices_new (void)
{
  RlAudioDevices *self = g_object_new (RL_TYPE_AUDIO_DEVICES, NULL);

  connect_server (self);
  return self;
}

gboolean
rl_audio_devices_is_ready (RlAudioDevices *self)
{
  g_return_val_if_fail (RL_IS_AUDIO_DEVICES (self), FALSE);

  return self->ready;
}

gboolean
rl_audio_devices_has (RlAudioDevices *self, RlAudioRole role, const char *id)
{
  g_return_val_if_fail (role < RL_AUDIO_N_ROLES, FALSE);
  return find (devices_for (self, role), id) != NULL;
}

const char *
rl_audio_devices_get_preferred (RlAudioDevices *self, RlAudioRole role)
{
  g_return_val_if_fail (role < RL_AUDIO_N_ROLES, "");
  return self->preferred[role];
}

/**
 * rl_audio_devices_set_preferred:
 * @id: a device id from the list, or "" for the system's default
 *
 * Remembers the device for @role, present or not: a headset unplugged now
 * is used again when it comes back.
 */
gboolean
rl_audio_devices_set_preferred (RlAudioDevices *self, RlAudioRole role, const char *id,
                                GError **error)
{
  g_return_val_if_fail (RL_IS_AUDIO_DEVICES (self), FALSE);
  g_return_val_if_fail (role < RL_AUDIO_N_ROLES, FALSE);

  if (!rl_audio_device_id_is_valid (id))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "Not an audio device id: %s",
                   id ? id : "(null)");
      return FALSE;
    }
  if (g_str_equal (self->preferred[role], id))
    return TRUE;
  g_free (self->preferred[role]);
  self->preferred[role] = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MICROPHONE + role]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

/* The device @role uses now: the preferred one while it is there, else ""
 * (the server's default). */
const char *
rl_audio_devices_get_effective (RlAudioDevices *self, RlAudioRole role)
{
  g_return_val_if_fail (role < RL_AUDIO_N_ROLES, "");
  return rl_audio_devices_has (self, role, self->preferred[role]) ? self->preferred[role] : "";
}

static GVariant *
build_role (RlAudioDevices *self, RlAudioRole role)
{
  GPtrArray *devices = devices_for (self, role);
  const char *fallback
    = role == RL_AUDIO_ROLE_MICROPHONE ? self->default_source : self->default_sink;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < devices->len; i++)
    {
      Device *d = g_ptr_array_index (devices, i);

      g_variant_builder_open (&b, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (d->id));
      g_variant_builder_add (&b, "{sv}", "label", g_variant_new_string (d->label));
      g_variant_builder_add (&b, "{sv}", "default",
                             g_variant_new_boolean (g_strcmp0 (d->id, fallback) == 0));
      g_variant_builder_close (&b);
    }
  return g_variant_builder_end (&b);
}

/* PulseAudio's placeholder when nothing is plugged in plays nowhere. */
static guint
count_real (GPtrArray *devices)
{
  guint n = 0;

  for (guint i = 0; i < devices->len; i++)
    n += !g_str_equal (((Device *) g_ptr_array_index (devices, i))->id, "auto_null");
  return n;
}

/**
 * rl_audio_devices_get_problem:
 *
 * Returns: (nullable): why calls would have no sound, for the agent: no
 * sound server, no microphone, no speaker; %NULL when there is nothing to
 * say, or nothing known yet (the first connection is under way)
 */
const char *
rl_audio_devices_get_problem (RlAudioDevices *self)
{
  gboolean microphone, speaker;

  g_return_val_if_fail (RL_IS_AUDIO_DEVICES (self), NULL);

  if (!self->tried)
    return NULL;
  microphone = self->ready && count_real (self->sources) > 0;
  speaker = self->ready && count_real (self->sinks) > 0;
  if (!microphone && !speaker)
    return _ ("No microphone or speaker — connect a headset");
  if (!microphone)
    return _ ("No microphone — connect a headset");
  return speaker ? NULL : _ ("No speaker — connect a headset");
}

/**
 * rl_audio_devices_build_list:
 *
 * Returns: (transfer floating): an a{sv}: "microphones" and "speakers" (each
 * an aa{sv} of id, label, default), "preferred" and "effective" (a{ss}, role
 * to id), "available" (b: a sound server answers), "usable" (b: there is
 * a microphone and a speaker to call with) and "problem" (s: why not, or "").
 */
GVariant *
rl_audio_devices_build_list (RlAudioDevices *self)
{
  GVariantBuilder b, preferred, effective;

  g_return_val_if_fail (RL_IS_AUDIO_DEVICES (self), NULL);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_init (&preferred, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_init (&effective, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < RL_AUDIO_N_ROLES; i++)
    {
      g_variant_builder_add (&preferred, "{ss}", role_names[i], self->preferred[i]);
      g_variant_builder_add (&effective, "{ss}", role_names[i],
                             rl_audio_devices_get_effective (self, i));
    }
  g_variant_builder_add (&b, "{sv}", "available", g_variant_new_boolean (self->ready));
  g_variant_builder_add (&b, "{sv}", "usable",
                         g_variant_new_boolean (rl_audio_devices_get_problem (self) == NULL));
  g_variant_builder_add (&b, "{sv}", "problem",
                         g_variant_new_string (rl_audio_devices_get_problem (self)
                                                 ? rl_audio_devices_get_problem (self)
                                                 : ""));
  g_variant_builder_add (&b, "{sv}", "microphones", build_role (self, RL_AUDIO_ROLE_MICROPHONE));
  g_variant_builder_add (&b, "{sv}", "speakers", build_role (self, RL_AUDIO_ROLE_SPEAKER));
  g_variant_builder_add (&b, "{sv}", "preferred", g_variant_builder_end (&preferred));
  g_variant_builder_add (&b, "{sv}", "effective", g_variant_builder_end (&effective));
  return g_variant_builder_end (&b);
}
