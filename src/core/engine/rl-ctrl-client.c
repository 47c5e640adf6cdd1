/* rl-ctrl-client.c
 *
 * One TCP connection to baresip on loopback. Requests carry a token that
 * baresip echoes in its reply, so replies are matched by token; events
 * arrive unsolicited on the same stream and are emitted as ::event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlCtrlClient"

#include "rl-ctrl-client.h"
#include "rl-ctrl-codec.h"
#include "rl-error.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#define READ_CHUNK 16384
#define REQUEST_TIMEOUT_SECONDS 10

struct _RlCtrlClient
{
  GObject parent_instance;

  GSocketConnection *connection;
  GCancellable *cancellable;
  GSource *read_source;
  RlCtrlCodec *codec;
  GHashTable *pending; /* token → GTask */
  GQueue writes;       /* GBytes waiting for the stream */
  gboolean writing;
  GBytes *in_flight; /* the frame an asynchronous write is sending */
  guint next_token;
  gboolean closed;
  guint8 chunk[READ_CHUNK];
};

G_DEFINE_FINAL_TYPE (RlCtrlClient, rl_ctrl_client, G_TYPE_OBJECT)

enum
{
  SIGNAL_EVENT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *command;
  char *token; /* the reply names it */
  RlCtrlFlags flags;
  guint timeout_id;
} Request;

static void
request_free (Request *req)
{
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  g_free (req->command);
  g_free (req->token);
  g_free (req);
}

static void
fail_pending (RlCtrlClient *self, const GError *error)
{
  g_autoptr (GHashTable) pending = g_steal_pointer (&self->pending);
  GHashTableIter iter;
  gpointer task;

  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, NULL, &task))
    g_task_return_error (task, g_error_copy (error));
}

static void
shutdown_connection (RlCtrlClient *self, const GError *why)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->read_source)
    g_source_destroy (self->read_source);
  g_clear_pointer (&self->read_source, g_source_unref);
  g_queue_clear_full (&self->writes, (GDestroyNotify) g_bytes_unref);
  if (self->connection)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  fail_pending (self, why);
  g_debug ("control connection closed: %s", why->message);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, why);
}

static void
dispatch_response (RlCtrlClient *self, JsonObject *msg)
{
  const char *token = json_object_get_string_member_with_default (msg, "token", "");
  g_autoptr (GTask) task = NULL;
  Request *req;
  const char *data;

  if (!g_hash_table_steal_extended (self->pending, token, NULL, (gpointer *) &task))
    {
      g_debug ("reply with unknown token '%s' ignored", token);
      return;
    }
  req = g_task_get_task_data (task);
  data = json_object_get_string_member_with_default (msg, "data", "");
  if (!(req->flags & (RL_CTRL_FLAGS_SECRET | RL_CTRL_FLAGS_QUIET)))
    g_debug ("← %s: %s", req->command, data);
  if (!json_object_get_boolean_member_with_default (msg, "ok", FALSE))
    {
      g_autofree char *text = rl_ctrl_codec_strip_ansi (data);

      g_task_return_new_error (task, RL_ERROR, RL_ERROR_FAILED, "%s: %s", req->command,
                               g_strstrip (text));
      return;
    }
  g_task_return_pointer (task, rl_ctrl_codec_strip_ansi (data), g_free);
}

static void
dispatch (RlCtrlClient *self, JsonObject *msg)
{
  if (json_object_get_boolean_member_with_default (msg, "response", FALSE))
    dispatch_response (self, msg);
  else if (json_object_get_boolean_member_with_default (msg, "event", FALSE))
    g_signal_emit (self, signals[SIGNAL_EVENT], 0, msg);
  else
    g_debug ("control message that is neither reply nor event ignored");
}

/* Returns FALSE when a message closed the connection. */
static gboolean
consume (RlCtrlClient *self, const guint8 *data, gsize len)
{
  JsonObject *msg;

  rl_ctrl_codec_push (self->codec, data, len);
  for (;;)
    {
      g_autoptr (GError) frame_error = NULL;

      if (rl_ctrl_codec_next (self->codec, &msg, &frame_error))
        {
          dispatch (self, msg);
          json_object_unref (msg);
          if (self->closed)
            return FALSE;
          continue;
        }
      if (frame_error == NULL)
        return TRUE;
      if (g_str_has_prefix (frame_error->message, "Malformed"))
        {
          shutdown_connection (self, frame_error);
          return FALSE;
        }
      /* A frame that is not JSON is dropped; the stream stays in sync. */
      g_warning ("%s", frame_error->message);
    }
}

/* Reads what the socket has straight into one buffer: messages are a few
 * hundred bytes and come in bursts while a call is set up, so no GTask and
 * no fresh buffer per read. */
static gboolean
on_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  g_autoptr (RlCtrlClient) self = g_object_ref (user_data);
  gssize got;

  do
    {
      g_autoptr (GError) error = NULL;

      got = g_socket_receive_with_blocking (socket, (char *) self->chunk, sizeof self->chunk, FALSE,
                                            NULL, &error);
      if (got < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (got <= 0)
        {
          g_autoptr (GError) eof
            = error ? g_steal_pointer (&error)
                    : g_error_new_literal (RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE,
                                           "baresip closed the control connection");
          shutdown_connection (self, eof);
          return G_SOURCE_REMOVE;
        }
      if (!consume (self, self->chunk, got))
        return G_SOURCE_REMOVE;
    }
  /* A short read emptied the socket: the next poll says when there is more. */
  while (got == sizeof self->chunk);
  return G_SOURCE_CONTINUE;
}

static void
watch_input (RlCtrlClient *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->connection);

  /* The socket's own source, not a pollable stream's (a source wrapping a
   * child source): GLib blocks a source while it runs by taking its fd out
   * of the poll set and putting it back, each step waking the loop for one
   * more, empty turn. The callback never iterates the loop, so it need not
   * be guarded against running inside itself. */
  self->read_source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_set_can_recurse (self->read_source, TRUE);
  g_source_attach (self->read_source, NULL);
}

static void write_next (RlCtrlClient *self);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCtrlClient) self = user_data;
  g_autoptr (GError) error = NULL;

  self->writing = FALSE;
  g_clear_pointer (&self->in_flight, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!self->closed)
        shutdown_connection (self, error);
      return;
    }
  write_next (self);
}

static void
write_next (RlCtrlClient *self)
{
  g_autoptr (GBytes) frame = NULL;
  GOutputStream *out;
  gsize len;
  gconstpointer data;

  if (self->writing || self->closed || g_queue_is_empty (&self->writes))
    return;
  frame = g_queue_pop_head (&self->writes);
  out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  data = g_bytes_get_data (frame, &len);
  /* A request is a few hundred bytes and the socket's buffer is nearly
   * always free: written at once, it leaves before the caller's next step.
   * What does not fit goes the asynchronous way. */
  while (len > 0)
    {
      gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out), data,
                                                             len, NULL, NULL);
      if (n <= 0)
        break;
      data = (const guint8 *) data + n;
      len -= n;
    }
  if (len == 0)
    {
      write_next (self);
      return;
    }
  self->writing = TRUE;
  self->in_flight = g_bytes_ref (frame);
  g_output_stream_write_all_async (out, data, len, G_PRIORITY_DEFAULT, self->cancellable,
                                   on_written, g_object_ref (self));
}

static void
rl_ctrl_client_dispose (GObject *object)
{
  RlCtrlClient *self = RL_CTRL_CLIENT (object);

  if (!self->closed && self->connection)
    {
      g_autoptr (GError) error
        = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Control client disposed");

      shutdown_connection (self, error);
    }
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (rl_ctrl_client_parent_class)->dispose (object);
}

static void
rl_ctrl_client_finalize (GObject *object)
{
  RlCtrlClient *self = RL_CTRL_CLIENT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_queue_clear_full (&self->writes, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&self->in_flight, g_bytes_unref);
  rl_ctrl_codec_free (self->codec);
  G_OBJECT_CLASS (rl_ctrl_client_parent_class)->finalize (object);
}

static void
rl_ctrl_client_class_init (RlCtrlClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_ctrl_client_dispose;
  object_class->finalize = rl_ctrl_client_finalize;

  /**
   * RlCtrlClient::event:
   * @message: the event as baresip sent it
   */
  signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  /**
   * RlCtrlClient::closed:
   * @error: why
   */
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
rl_ctrl_client_init (RlCtrlClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->codec = rl_ctrl_codec_new (RL_CTRL_MAX_FRAME);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->writes);
}

RlCtrlClient *
rl_ctrl_client_new (void)
{
  return g_object_new (RL_TYPE_CTRL_CLIENT, NULL);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlCtrlClient *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  GSocketConnection *conn;

  conn = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (conn == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->connection = conn;
  /* The client's timeout was for connecting; left on the socket, it would
   * end the connection after any quiet spell. Requests time out on their own. */
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 0);
  g_socket_set_option (g_socket_connection_get_socket (conn), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  g_task_return_boolean (task, TRUE);
}

void
rl_ctrl_client_connect_async (RlCtrlClient *self, guint16 port, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  GTask *task;

  g_return_if_fail (RL_IS_CTRL_CLIENT (self));
  g_return_if_fail (self->connection == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_ctrl_client_connect_async);
  g_socket_client_set_timeout (client, 5);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", port, cancellable, on_connected,
                                         task);
}

gboolean
rl_ctrl_client_connect_finish (RlCtrlClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * rl_ctrl_client_get_local_port:
 *
 * Returns: this end's port, which names the connection in the kernel's
 * socket table; 0 when not connected.
 */
guint16
rl_ctrl_client_get_local_port (RlCtrlClient *self)
{
  g_autoptr (GSocketAddress) local = NULL;

  g_return_val_if_fail (RL_IS_CTRL_CLIENT (self), 0);

  if (self->connection == NULL)
    return 0;
  local = g_socket_connection_get_local_address (self->connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
}

/**
 * rl_ctrl_client_start:
 *
 * Starts reading replies and events. Until then nothing the peer sends is
 * believed: call it once the peer is known to be the right one.
 */
void
rl_ctrl_client_start (RlCtrlClient *self)
{
  g_return_if_fail (RL_IS_CTRL_CLIENT (self));
  g_return_if_fail (self->connection != NULL);

  if (self->read_source == NULL && !self->closed)
    watch_input (self);
}

static gboolean
on_request_timeout (gpointer user_data)
{
  GTask *task = user_data;
  RlCtrlClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr (GTask) owned = NULL;

  req->timeout_id = 0;
  if (g_hash_table_steal_extended (self->pending, req->token, NULL, (gpointer *) &owned))
    g_task_return_new_error (owned, RL_ERROR, RL_ERROR_TIMED_OUT, "baresip did not answer '%s'",
                             req->command);
  return G_SOURCE_REMOVE;
}

void
rl_ctrl_client_command_async (RlCtrlClient *self, const char *command, const char *params,
                              RlCtrlFlags flags, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Request *req;
  char *token;

  g_return_if_fail (RL_IS_CTRL_CLIENT (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_ctrl_client_command_async);
  if (self->connection == NULL || self->closed)
    {
      g_task_return_new_error (task, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE,
                               "The call engine is not running");
      return;
    }
  req = g_new0 (Request, 1);
  req->command = g_strdup (command);
  req->flags = flags;
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  token = g_strdup_printf ("rl%u", ++self->next_token);
  req->token = g_strdup (token);
  req->timeout_id = g_timeout_add_seconds (REQUEST_TIMEOUT_SECONDS, on_request_timeout, task);
  if (!(flags & RL_CTRL_FLAGS_QUIET))
    g_debug ("→ %s %s", command, (flags & RL_CTRL_FLAGS_SECRET) ? "(params hidden)" : params ?: "");
  g_queue_push_tail (&self->writes, rl_ctrl_codec_encode_request (command, params, token));
  g_hash_table_insert (self->pending, token, g_steal_pointer (&task));
  write_next (self);
}

/**
 * rl_ctrl_client_command_finish:
 *
 * Returns: (transfer full): the reply's text, colour codes removed.
 */
char *
rl_ctrl_client_command_finish (RlCtrlClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
rl_ctrl_client_is_connected (RlCtrlClient *self)
{
  g_return_val_if_fail (RL_IS_CTRL_CLIENT (self), FALSE);

  return self->connection != NULL && !self->closed;
}

void
rl_ctrl_client_close (RlCtrlClient *self)
{
  g_return_if_fail (RL_IS_CTRL_CLIENT (self));

  g_autoptr (GError) error
    = g_error_new_literal (RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE, "Control connection closed");

  if (self->connection)
    shutdown_connection (self, error);
}
