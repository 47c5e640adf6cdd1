/* rl-ctrl-codec.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlCtrlCodec"

#include "rl-ctrl-codec.h"
#include "rl-json.h"
#include "rl-error.h"

#include <string.h>

/* Nine digits cover any frame below RL_CTRL_MAX_FRAME's ceiling of 1e9. */
#define MAX_LENGTH_DIGITS 9

struct _RlCtrlCodec
{
  GByteArray *buf;
  gsize max_frame;
  gboolean broken;
};

RlCtrlCodec *
rl_ctrl_codec_new (gsize max_frame)
{
  RlCtrlCodec *self = g_new0 (RlCtrlCodec, 1);

  self->buf = g_byte_array_new ();
  self->max_frame = max_frame ? max_frame : RL_CTRL_MAX_FRAME;
  return self;
}

void
rl_ctrl_codec_free (RlCtrlCodec *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->buf);
  g_free (self);
}

void
rl_ctrl_codec_push (RlCtrlCodec *self, const guint8 *data, gsize len)
{
  g_return_if_fail (self != NULL);
  g_byte_array_append (self->buf, data, len);
}

gsize
rl_ctrl_codec_pending (RlCtrlCodec *self)
{
  return self->buf->len;
}

static gboolean
fail (RlCtrlCodec *self, GError **error, const char *what)
{
  /* A framing error leaves the stream unsynchronised for good: the caller
   * must drop the connection. */
  self->broken = TRUE;
  g_set_error (error, RL_ERROR, RL_ERROR_PROTOCOL, "Malformed control frame: %s", what);
  return FALSE;
}

/* Reads the "LEN:" prefix. Returns the prefix size, 0 when more input is
 * needed, or -1 on a malformed prefix. */
static gssize
parse_length (RlCtrlCodec *self, gsize *len_out, GError **error)
{
  gsize len = 0;

  for (guint i = 0; i < self->buf->len; i++)
    {
      guint8 c = self->buf->data[i];

      if (c == ':')
        {
          if (i == 0)
            return fail (self, error, "empty length"), -1;
          *len_out = len;
          return i + 1;
        }
      if (c < '0' || c > '9')
        return fail (self, error, "length is not a number"), -1;
      if (i >= MAX_LENGTH_DIGITS)
        return fail (self, error, "length too long"), -1;
      len = len * 10 + (c - '0');
      if (len > self->max_frame)
        return fail (self, error, "frame too large"), -1;
    }
  return 0;
}

/**
 * rl_ctrl_codec_next:
 * @message: (out): the next complete message
 *
 * Returns: %TRUE with @message set when a whole frame was decoded; %FALSE
 * with @error unset when more input is needed; %FALSE with @error set when
 * the stream is malformed (and stays so).
 */
gboolean
rl_ctrl_codec_next (RlCtrlCodec *self, JsonObject **message, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) parse_error = NULL;
  gssize prefix;
  gsize len = 0;

  g_return_val_if_fail (message != NULL, FALSE);
  *message = NULL;
  if (self->broken)
    return fail (self, error, "stream already broken");

  prefix = parse_length (self, &len, error);
  if (prefix <= 0)
    return FALSE;
  if (self->buf->len < prefix + len + 1)
    return FALSE;
  if (self->buf->data[prefix + len] != ',')
    return fail (self, error, "missing ',' terminator");

  root = rl_json_parse ((const char *) self->buf->data + prefix, len, &parse_error);
  g_byte_array_remove_range (self->buf, 0, prefix + len + 1);
  if (root == NULL)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_PROTOCOL, "Control frame is not usable JSON (%s)",
                   parse_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_PROTOCOL, "Control frame is not a JSON object");
      return FALSE;
    }
  *message = json_object_ref (json_node_get_object (root));
  return TRUE;
}

GBytes *
rl_ctrl_codec_encode_request (const char *command, const char *params, const char *token)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root
    = rl_json_strings ("command", command, "params", params ? params : "", "token", token, NULL);
  g_autofree char *body = NULL;
  gsize body_len = 0;
  GString *frame;

  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, &body_len);

  frame = g_string_sized_new (body_len + 16);
  g_string_append_printf (frame, "%" G_GSIZE_FORMAT ":", body_len);
  g_string_append_len (frame, body, body_len);
  g_string_append_c (frame, ',');
  return g_string_free_to_bytes (frame);
}

/* baresip's replies are terminal text with colour codes. */
char *
rl_ctrl_codec_strip_ansi (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '\033' && p[1] == '[')
        {
          p += 2;
          while (*p && !g_ascii_isalpha (*p))
            p++;
          if (!*p)
            break;
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
