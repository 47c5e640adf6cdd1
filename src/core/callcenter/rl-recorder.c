/* rl-recorder.c
 *
 * Starts and stops the call center's recording of a call (POST
 * /api/recording). A call that ends while recorded is stopped too, so the
 * backend closes the file and names its address, which goes into the call's
 * history row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlRecorder"

#include "rl-recorder.h"
#include "rl-json.h"
#include "rl-call-private.h"
#include "rl-error.h"

struct _RlRecorder
{
  GObject parent_instance;

  RlPhone *phone;
  RlSession *session;
  RlHistory *history;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (RlRecorder, rl_recorder, G_TYPE_OBJECT)

static JsonNode *
request_body (RlCall *call, gboolean recording)
{
  return rl_json_strings ("callId", rl_call_get_id (call), "action", recording ? "start" : "stop",
                          NULL);
}

/* The backend's word on the call's recording; a reply without it is taken
 * as a yes to what was asked. */
static gboolean
apply_reply (RlRecorder *self, RlCall *call, gboolean asked, JsonNode *reply, GError **error)
{
  JsonObject *o = rl_json_object (reply);
  const char *address = rl_json_string (o, "recordingUrl");

  if (o == NULL)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_BACKEND,
                   "The backend's recording reply is not what Ringline expects");
      return FALSE;
    }
  _rl_call_set_recording (call, rl_json_boolean (o, "recording", asked), address);
  if (address && *address && rl_call_get_state (call) == RL_CALL_STATE_TERMINATED)
    rl_history_set_recording_url (self->history, rl_call_get_id (call), address);
  return TRUE;
}

typedef struct
{
  RlCall *call;
  gboolean asked; /* start (TRUE) or stop */
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->call);
  g_free (request);
}

static void
on_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlRecorder *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (JsonNode) reply = rl_backend_request_finish (RL_BACKEND (source), result, &error);

  if (reply == NULL || !apply_reply (self, request->call, request->asked, reply, &error))
    return g_task_return_error (task, error);
  g_task_return_boolean (task, TRUE);
}

static void
send_request (RlRecorder *self, RlCall *call, gboolean recording, GTask *task)
{
  g_autoptr (JsonNode) body = request_body (call, recording);
  GCancellable *cancellable = g_task_get_cancellable (task);
  Request *request = g_new (Request, 1);

  request->call = g_object_ref (call);
  request->asked = recording;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  rl_backend_request_async (rl_session_get_backend (self->session), "POST", "/api/recording", body,
                            RL_BACKEND_REQUEST_AUTH, cancellable, on_reply, task);
}

/**
 * rl_recorder_set_async:
 * @recording: start (TRUE) or stop (FALSE) recording @call
 *
 * Finishes once the backend has answered; the call's recording property
 * follows its answer.
 */
void
rl_recorder_set_async (RlRecorder *self, RlCall *call, gboolean recording,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_RECORDER (self));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, rl_recorder_set_async);
  if (!rl_session_get_signed_in (self->session))
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_NOT_SIGNED_IN,
                                    "Recording is done by the call center: sign in first");
  if (!rl_call_is_active (call))
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_INVALID_STATE,
                                    "Only a call in progress can be recorded");
  if (rl_call_get_recording (call) == !!recording)
    return g_task_return_boolean (task, TRUE);
  send_request (self, call, !!recording, g_steal_pointer (&task));
}

gboolean
rl_recorder_set_finish (RlRecorder *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!rl_recorder_set_finish (RL_RECORDER (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not stop recording the call that ended: %s", error->message);
}

static void
on_call_state (RlRecorder *self, RlCall *call)
{
  g_autoptr (GTask) task = NULL;

  if (rl_call_get_state (call) != RL_CALL_STATE_TERMINATED || !rl_call_get_recording (call)
      || !rl_session_get_signed_in (self->session))
    return;
  task = g_task_new (self, self->cancellable, on_stopped, NULL);
  send_request (self, call, FALSE, g_steal_pointer (&task));
}

static void
rl_recorder_dispose (GObject *object)
{
  RlRecorder *self = RL_RECORDER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->phone)
    g_signal_handlers_disconnect_by_data (self->phone, self);
  g_clear_object (&self->phone);
  g_clear_object (&self->session);
  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rl_recorder_parent_class)->dispose (object);
}

static void
rl_recorder_class_init (RlRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_recorder_dispose;
}

static void
rl_recorder_init (RlRecorder *self)
{
  self->cancellable = g_cancellable_new ();
}

RlRecorder *
rl_recorder_new (RlPhone *phone, RlSession *session, RlHistory *history)
{
  RlRecorder *self = g_object_new (RL_TYPE_RECORDER, NULL);

  self->phone = g_object_ref (phone);
  self->session = g_object_ref (session);
  self->history = g_object_ref (history);
  g_signal_connect_swapped (phone, "call-state-changed", G_CALLBACK (on_call_state), self);
  return self;
}
