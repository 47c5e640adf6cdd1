/* rl-park-lot.c: the lab backend's parking lot.
 *
 * Each park slot is a baresip bot registered as the slot's extension that
 * answers every call: a call transferred to the slot waits there, hearing
 * the bot's tone. The backend follows each bot over its ctrl_tcp socket (a
 * slot is occupied from CALL_ESTABLISHED to CALL_CLOSED, by the peer the
 * event names) and retrieves a call by telling the bot to transfer it to
 * the agent who asked. The lab has no B2BUA to take a live call the way a
 * FreeSWITCH or Asterisk backend would, so parking through the backend
 * answers with the slot's address to transfer the call to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-park-lot.h"

#include <string.h>

struct _RlParkSlot
{
  char *extension;
  char *label;
  GSocketConnection *connection;
  GString *input;
  char buffer[4096];
  char *peer;      /* the parked party's number, or NULL when free */
  gint64 since_ms; /* when it was parked */
  char *parked_by; /* the agent's extension, if an agent parked it here */
  char *pending_by;
};

static GPtrArray *slots;
static char *sip_domain;

static void read_more (RlParkSlot *slot);

/* "sip:6100@127.0.0.1:5060;transport=udp" → "6100" */
static char *
uri_user (const char *uri)
{
  const char *start = g_str_has_prefix (uri, "sip:") ? uri + 4 : uri;
  const char *at = strchr (start, '@');

  return at ? g_strndup (start, at - start) : g_strdup (start);
}

static void
on_event (RlParkSlot *slot, JsonObject *event)
{
  const char *type = json_object_get_string_member_with_default (event, "type", "");
  const char *peer = json_object_get_string_member_with_default (event, "peeruri", "");

  if (g_str_equal (type, "CALL_ESTABLISHED"))
    {
      g_free (slot->peer);
      slot->peer = uri_user (peer);
      slot->since_ms = g_get_real_time () / 1000;
      g_free (slot->parked_by);
      slot->parked_by = g_steal_pointer (&slot->pending_by);
    }
  else if (g_str_equal (type, "CALL_CLOSED"))
    {
      g_clear_pointer (&slot->peer, g_free);
      g_clear_pointer (&slot->parked_by, g_free);
    }
}

/* ctrl_tcp frames are netstrings: "LEN:JSON," */
static void
take_frames (RlParkSlot *slot)
{
  for (;;)
    {
      char *colon = memchr (slot->input->str, ':', slot->input->len);
      gsize len, head;
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (colon == NULL)
        return;
      len = g_ascii_strtoull (slot->input->str, NULL, 10);
      head = colon - slot->input->str + 1;
      if (slot->input->len < head + len + 1)
        return;
      if (json_parser_load_from_data (parser, slot->input->str + head, len, NULL)
          && JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser))
          && json_object_get_boolean_member_with_default (json_node_get_object (root), "event",
                                                          FALSE))
        on_event (slot, json_node_get_object (root));
      g_string_erase (slot->input, 0, head + len + 1);
    }
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RlParkSlot *slot = user_data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n <= 0)
    {
      g_printerr ("rl-backend: park slot %s: its bot went away\n", slot->extension);
      return;
    }
  g_string_append_len (slot->input, slot->buffer, n);
  take_frames (slot);
  read_more (slot);
}

static void
read_more (RlParkSlot *slot)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (slot->connection));

  g_input_stream_read_async (in, slot->buffer, sizeof slot->buffer, G_PRIORITY_DEFAULT, NULL,
                             on_read, slot);
}

static gboolean
send_command (RlParkSlot *slot, const char *command, const char *params)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *frame = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (slot->connection));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command");
  json_builder_add_string_value (builder, command);
  json_builder_set_member_name (builder, "params");
  json_builder_add_string_value (builder, params);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, "park");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  frame = g_strdup_printf ("%zu:%s,", strlen (body), body);
  /* A few bytes to a local socket: the lab can afford to write them at once. */
  return g_output_stream_write_all (out, frame, strlen (frame), NULL, NULL, NULL);
}

void
rl_park_lot_load (const char *path, const char *domain)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  JsonArray *array;

  sip_domain = g_strdup (domain);
  slots = g_ptr_array_new ();
  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("rl-backend: %s: %s", path, error->message);
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      RlParkSlot *slot = g_new0 (RlParkSlot, 1);

      slot->extension = g_strdup (json_object_get_string_member (o, "extension"));
      slot->label = g_strdup (json_object_get_string_member (o, "label"));
      slot->input = g_string_new (NULL);
      slot->connection = g_socket_client_connect_to_host (
        client, "127.0.0.1", json_object_get_int_member (o, "ctrl_port"), NULL, &error);
      if (slot->connection == NULL)
        g_error ("rl-backend: park slot %s: %s", slot->extension, error->message);
      g_ptr_array_add (slots, slot);
      read_more (slot);
    }
}

RlParkSlot *
rl_park_lot_find (const char *extension)
{
  for (guint i = 0; slots && extension && i < slots->len; i++)
    {
      RlParkSlot *slot = g_ptr_array_index (slots, i);

      if (g_str_equal (slot->extension, extension))
        return slot;
    }
  return NULL;
}

gboolean
rl_park_lot_serves (const char *domain)
{
  return slots && g_strcmp0 (domain, sip_domain) == 0;
}

/* Seed 003's park slot list. */
JsonNode *
rl_park_lot_to_json (void)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; slots && i < slots->len; i++)
    {
      RlParkSlot *slot = g_ptr_array_index (slots, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "extension");
      json_builder_add_string_value (b, slot->extension);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, slot->label);
      json_builder_set_member_name (b, "occupied");
      json_builder_add_boolean_value (b, slot->peer != NULL);
      if (slot->peer)
        {
          json_builder_set_member_name (b, "parkedCall");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "phoneNumber");
          json_builder_add_string_value (b, slot->peer);
          json_builder_set_member_name (b, "parkedBy");
          json_builder_add_string_value (b, slot->parked_by ? slot->parked_by : "");
          json_builder_set_member_name (b, "parkedAt");
          json_builder_add_int_value (b, slot->since_ms);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

gboolean
rl_park_slot_is_occupied (RlParkSlot *slot)
{
  return slot->peer != NULL;
}

const char *
rl_park_slot_get_peer (RlParkSlot *slot)
{
  return slot->peer;
}

/* The call about to arrive is @agent's; returns where to transfer it. */
char *
rl_park_slot_expect (RlParkSlot *slot, const char *agent)
{
  g_free (slot->pending_by);
  slot->pending_by = g_strdup (agent);
  return g_strdup_printf ("sip:%s@%s", slot->extension, sip_domain);
}

/* Sends the parked call to @agent's extension. */
gboolean
rl_park_slot_retrieve (RlParkSlot *slot, const char *agent)
{
  g_autofree char *target = g_strdup_printf ("sip:%s@%s", agent, sip_domain);

  return slot->peer && send_command (slot, "transfer", target);
}
