/* test-ctrl-client.c: the ctrl_tcp client over a real loopback TCP
 * connection, with this test as the other end where baresip would be. baresip
 * cannot be made to split a frame across reads, send a reply larger than the
 * client's read buffer or a broken frame on demand; this end can.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-ctrl-client.h"
#include "rl-ctrl-codec.h"
#include "rl-error.h"
#include "rl-socket-owner.h"
#include "rl-test-lab.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  GSocketListener *listener;
  GSocketConnection *peer; /* our end, where baresip would be */
  RlCtrlCodec *peer_decoder;
  RlCtrlClient *client;
  GPtrArray *events; /* event types, in order */
  GError *closed;    /* what the client's ::closed said */
  guint16 port;      /* where the listener listens */
} Fixture;

static gboolean
has_event (gpointer events)
{
  return ((GPtrArray *) events)->len > 0;
}

static void
on_event (RlCtrlClient *client, JsonObject *message, Fixture *f)
{
  g_ptr_array_add (f->events, g_strdup (json_object_get_string_member (message, "type")));
}

static void
on_closed (RlCtrlClient *client, const GError *why, Fixture *f)
{
  g_assert_null (f->closed);
  f->closed = g_error_copy (why);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GAsyncResult) connected = NULL;
  g_autoptr (GAsyncResult) accepted = NULL;
  g_autoptr (GError) error = NULL;

  f->listener = g_socket_listener_new ();
  g_socket_listener_add_address (f->listener, any_port, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  f->peer_decoder = rl_ctrl_codec_new (RL_CTRL_MAX_FRAME);
  f->events = g_ptr_array_new_with_free_func (g_free);
  f->client = rl_ctrl_client_new ();
  g_signal_connect (f->client, "event", G_CALLBACK (on_event), f);
  g_signal_connect (f->client, "closed", G_CALLBACK (on_closed), f);
  g_socket_listener_accept_async (f->listener, NULL, rl_test_keep_result, &accepted);
  f->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  rl_ctrl_client_connect_async (f->client, f->port, NULL, rl_test_keep_result, &connected);
  g_assert_true (
    rl_ctrl_client_connect_finish (f->client, rl_test_wait_result (&connected, 10), &error));
  g_assert_no_error (error);
  f->peer = g_socket_listener_accept_finish (f->listener, rl_test_wait_result (&accepted, 10), NULL,
                                             &error);
  g_assert_no_error (error);
  if (data == NULL)
    rl_ctrl_client_start (f->client);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->peer);
  g_socket_listener_close (f->listener);
  g_clear_object (&f->listener);
  rl_ctrl_codec_free (f->peer_decoder);
  g_ptr_array_unref (f->events);
  g_clear_error (&f->closed);
}

/* Reads the next request the client sent; returns its token. */
static char *
peer_read_request (Fixture *f, const char *command)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (f->peer));
  JsonObject *message = NULL;
  char *token;

  while (!rl_ctrl_codec_next (f->peer_decoder, &message, NULL))
    {
      guint8 chunk[4096];
      gssize got = g_input_stream_read (in, chunk, sizeof chunk, NULL, NULL);

      g_assert_cmpint (got, >, 0);
      rl_ctrl_codec_push (f->peer_decoder, chunk, got);
    }
  g_assert_cmpstr (json_object_get_string_member (message, "command"), ==, command);
  token = g_strdup (json_object_get_string_member (message, "token"));
  json_object_unref (message);
  return token;
}

static void
peer_write (Fixture *f, const char *data, gsize len)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (f->peer));
  g_autoptr (GError) error = NULL;

  g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
frame (const char *json)
{
  return g_strdup_printf ("%zu:%s,", strlen (json), json);
}

/* An event and a reply four times the client's read buffer, sent in three
 * pieces that cut both frames: the event comes first, the reply whole. */
static void
test_split_frames (Fixture *f, gconstpointer data)
{
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  g_autofree char *token = NULL;
  g_autofree char *event = frame ("{\"event\":true,\"type\":\"CALL_RINGING\",\"id\":\"c1\"}");
  g_autofree char *reply_json = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *stream = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  gsize len, cut1, cut2;

  rl_ctrl_client_command_async (f->client, "help", NULL, RL_CTRL_FLAGS_NONE, NULL,
                                rl_test_keep_result, &result);
  token = peer_read_request (f, "help");
  reply_json = g_strdup_printf ("{\"response\":true,\"ok\":true,\"data\":\"%s\",\"token\":\"%s\"}",
                                big, token);
  reply = frame (reply_json);
  stream = g_strconcat (event, reply, NULL);
  len = strlen (stream);
  cut1 = strlen (event) / 2;
  cut2 = strlen (event) + strlen (reply) / 2;
  peer_write (f, stream, cut1);
  rl_test_sleep (20);
  g_assert_cmpuint (f->events->len, ==, 0);
  peer_write (f, stream + cut1, cut2 - cut1);
  g_assert_true (rl_test_wait (has_event, f->events, 10));
  g_assert_cmpuint (f->events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->events, 0), ==, "CALL_RINGING");
  g_assert_null (result);
  peer_write (f, stream + cut2, len - cut2);
  rl_test_wait_result (&result, 10);
  text = rl_ctrl_client_command_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, big);
  g_assert_null (f->closed);
}

/* baresip going away mid-request: the request fails, ::closed says why
 * once, and later requests fail at once. */
static void
test_peer_closes (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;

  rl_ctrl_client_command_async (f->client, "reginfo", NULL, RL_CTRL_FLAGS_NONE, NULL,
                                rl_test_keep_result, &result);
  token = peer_read_request (f, "reginfo");
  g_io_stream_close (G_IO_STREAM (f->peer), NULL, NULL);
  rl_test_wait_result (&result, 10);
  text = rl_ctrl_client_command_finish (f->client, result, &error);
  g_assert_null (text);
  g_assert_error (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE);
  g_assert_error (f->closed, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE);
  g_assert_false (rl_ctrl_client_is_connected (f->client));
  g_clear_error (&error);
  rl_ctrl_client_command_async (f->client, "reginfo", NULL, RL_CTRL_FLAGS_NONE, NULL,
                                rl_test_keep_result, &after);
  rl_test_wait_result (&after, 10);
  g_assert_null (rl_ctrl_client_command_finish (f->client, after, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE);
}

/* A frame that breaks the framing cannot be skipped: the connection ends
 * with the decoder's error, and the pending request gets it too. A frame
 * that is only not JSON is dropped and the stream goes on. */
static void
test_broken_frames (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *event = frame ("{\"event\":true,\"type\":\"CALL_CLOSED\",\"id\":\"c1\"}");
  g_autofree char *not_json = frame ("{\"event\":tru");

  rl_ctrl_client_command_async (f->client, "listcalls", NULL, RL_CTRL_FLAGS_NONE, NULL,
                                rl_test_keep_result, &result);
  token = peer_read_request (f, "listcalls");
  g_test_expect_message ("RlCtrlClient", G_LOG_LEVEL_WARNING, "*JSON*");
  peer_write (f, not_json, strlen (not_json));
  peer_write (f, event, strlen (event));
  g_assert_true (rl_test_wait (has_event, f->events, 10));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (f->events->len, ==, 1);
  g_assert_null (f->closed);
  peer_write (f, "12x:{}", 6);
  rl_test_wait_result (&result, 10);
  g_assert_null (rl_ctrl_client_command_finish (f->client, result, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_PROTOCOL);
  g_assert_error (f->closed, RL_ERROR, RL_ERROR_PROTOCOL);
}

/* Before the client is told its peer is the right one, what the peer
 * sends is left unread: a process squatting on the port cannot feed it
 * events. */
static void
test_unread_until_started (Fixture *f, gconstpointer data)
{
  g_autofree char *event = frame ("{\"event\":true,\"type\":\"CALL_INCOMING\",\"id\":\"c1\"}");

  peer_write (f, event, strlen (event));
  rl_test_sleep (100);
  g_assert_cmpuint (f->events->len, ==, 0);
  rl_ctrl_client_start (f->client);
  g_assert_true (rl_test_wait (has_event, f->events, 10));
}

/* The accepted end of the connection is this process's socket: proven for
 * this process, foreign for any other, even one of ours. */
static void
test_owner (Fixture *f, gconstpointer data)
{
  /* Silenced: a child holding the test's output would hold up its end. */
  g_autoptr (GSubprocess) other
    = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL,
                        "sleep", "30", NULL);
  guint16 local = rl_ctrl_client_get_local_port (f->client);
  GPid other_pid = atoi (g_subprocess_get_identifier (other));

  g_assert_cmpuint (local, !=, 0);
  g_assert_cmpint (rl_socket_owner_check (getpid (), f->port, local), ==, RL_SOCKET_OWNER_PROVEN);
  g_assert_cmpint (rl_socket_owner_check (other_pid, f->port, local), ==, RL_SOCKET_OWNER_FOREIGN);
  g_assert_cmpint (rl_socket_owner_check (getpid (), f->port, local + 1), ==,
                   RL_SOCKET_OWNER_FOREIGN);
  g_subprocess_force_exit (other);
  g_subprocess_wait (other, NULL, NULL);
}

/* The kernel's table as Linux prints it: a listener, the accepted end not
 * accepted yet (inode 0), another user's connection and a mangled row. */
static void
test_owner_table (void)
{
  const char *table
    = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n"
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 "
      "       0 4242 1 0000000000000000 100 0 0 10 0\n"
      "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000 "
      "       0 0 1 0000000000000000 20 4 30 10 -1\n"
      "   2: 0100007F:1F90 0100007F:D432 01 00000000:00000000 00:00000000 00000000  1001 "
      "       0 777 1 0000000000000000 20 4 30 10 -1\n"
      "   3: 0100007F:1F90\n"
      "   4: 0200007F:1F90 0100007F:D433 01 00000000:00000000 00:00000000 00000000  1000 "
      "       0 778 1 0000000000000000 20 4 30 10 -1\n";
  guint uid = 0;
  guint64 inode = 1;

  g_assert_true (rl_socket_owner_find_inode (table, 0x1F90, 0xD431, &uid, &inode));
  g_assert_cmpuint (uid, ==, 1000);
  g_assert_cmpuint (inode, ==, 0);
  g_assert_true (rl_socket_owner_find_inode (table, 0x1F90, 0xD432, &uid, &inode));
  g_assert_cmpuint (uid, ==, 1001);
  g_assert_cmpuint (inode, ==, 777);
  g_assert_false (rl_socket_owner_find_inode (table, 0x1F90, 0, &uid, &inode));
  g_assert_false (rl_socket_owner_find_inode (table, 0x1F90, 0xD433, &uid, &inode));
  g_assert_false (rl_socket_owner_find_inode ("", 0x1F90, 0xD431, &uid, &inode));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ctrl-client/split-frames", Fixture, NULL, setup, test_split_frames, teardown);
  g_test_add ("/ctrl-client/peer-closes", Fixture, NULL, setup, test_peer_closes, teardown);
  g_test_add ("/ctrl-client/broken-frames", Fixture, NULL, setup, test_broken_frames, teardown);
  g_test_add ("/ctrl-client/unread-until-started", Fixture, "unstarted", setup,
              test_unread_until_started, teardown);
  g_test_add ("/ctrl-client/owner", Fixture, NULL, setup, test_owner, teardown);
  g_test_add_func ("/ctrl-client/owner-table", test_owner_table);
  return g_test_run ();
}
