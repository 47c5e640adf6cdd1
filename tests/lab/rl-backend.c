/* rl-backend.c: the lab's reference call-center backend.
 *
 * A real HTTP server (libsoup) over a real SQLite file, implementing the REST
 * API in docs/backend-api.md for the agents the lab hands it. It only listens
 * on 127.0.0.1. Under /lab/ it can be told to misbehave, so tests can meet a
 * slow, failing or confused backend without a mock.
 *
 *   rl-backend --port PORT --db FILE --agents FILE [--token-lifetime SECONDS]
 *              [--park-slots FILE --sip-domain DOMAIN]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-park-lot.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BODY (1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  sqlite3 *db;
  JsonArray *agents;
  gint64 token_lifetime;
  gint64 clock_offset; /* s: /lab/clock makes the backend's clock jump */
  char *fault;
  guint fault_left; /* 0: until told otherwise */
  guint delay_ms;
  char *fault_path;     /* only requests under this path meet the fault */
  char *fault_method;   /* and only this method's, "" for any */
  char *fault_location; /* "redirect": where to */
  guint refreshes;
  guint logins;
  guint history_posts;
  guint moved_requests;  /* under /moved/: a deployment's own addressing */
  guint history_patches; /* PATCH /api/call-history/{id} taken */
  JsonObject *branding;  /* /lab/branding: what sessions carry */
  guint logo_fetches;
  GHashTable *codes; /* authorization code → JsonObject */
} Backend;

static Backend backend;

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC + backend.clock_offset;
}

/* ---- replies ---- */

static void
reply_text (SoupServerMessage *msg, guint status, const char *type, const char *body, gsize len)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, len);
}

static void
reply_json (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  reply_text (msg, status, "application/json", text, strlen (text));
}

static void
reply_object (SoupServerMessage *msg, guint status, JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  reply_json (msg, status, node);
}

static void
reply_error (SoupServerMessage *msg, guint status, const char *error, const char *description)
{
  g_autoptr (JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "error", error);
  json_object_set_string_member (o, "error_description", description);
  reply_object (msg, status, o);
}

/* ---- database ---- */

static void
db_exec (const char *sql)
{
  char *error = NULL;

  if (sqlite3_exec (backend.db, sql, NULL, NULL, &error) != SQLITE_OK)
    g_error ("rl-backend: %s: %s", sql, error);
}

static sqlite3_stmt *
db_prepare (const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (backend.db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("rl-backend: %s: %s", sql, sqlite3_errmsg (backend.db));
  return stmt;
}

static void
db_open (const char *path)
{
  if (sqlite3_open (path, &backend.db) != SQLITE_OK)
    g_error ("rl-backend: cannot open %s", path);
  sqlite3_busy_timeout (backend.db, 5000);
  db_exec ("PRAGMA journal_mode=WAL;"
           "CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, kind TEXT NOT NULL,"
           " user_id TEXT NOT NULL, expires_at INTEGER NOT NULL);"
           "CREATE TABLE IF NOT EXISTS calls (call_id TEXT PRIMARY KEY, user_id TEXT NOT NULL,"
           " started_at INTEGER NOT NULL, record TEXT NOT NULL);"
           "CREATE INDEX IF NOT EXISTS calls_by_user ON calls (user_id, started_at DESC);"
           "CREATE TABLE IF NOT EXISTS agent_status (user_id TEXT PRIMARY KEY, status TEXT,"
           " reason TEXT, updated_at INTEGER);"
           "CREATE TABLE IF NOT EXISTS recordings (call_id TEXT PRIMARY KEY, user_id TEXT,"
           " recording INTEGER, url TEXT);");
}

/* ---- agents and tokens ---- */

static JsonObject *
find_agent (const char *member, const char *value)
{
  for (guint i = 0; value && i < json_array_get_length (backend.agents); i++)
    {
      JsonObject *agent = json_array_get_object_element (backend.agents, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (agent, member, ""), value) == 0)
        return agent;
    }
  return NULL;
}

static char *
new_token (const char *kind, const char *user_id, gint64 lifetime)
{
  g_autoptr (GString) token = g_string_new (kind[0] == 'a' ? "at_" : "rt_");
  g_autoptr (sqlite3_stmt) stmt = NULL;

  for (guint i = 0; i < 8; i++)
    g_string_append_printf (token, "%08x", g_random_int ());
  stmt = db_prepare ("INSERT INTO tokens VALUES (?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, token->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now_s () + lifetime);
  sqlite3_step (stmt);
  return g_string_free (g_steal_pointer (&token), FALSE);
}

/* The agent a live token of @kind belongs to; @consume deletes it (a refresh
 * token is good once). */
static JsonObject *
token_agent (const char *kind, const char *token, gboolean consume)
{
  g_autoptr (sqlite3_stmt) stmt
    = db_prepare ("SELECT user_id FROM tokens WHERE token = ? AND kind = ? AND expires_at > ?");
  JsonObject *agent = NULL;

  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_s ());
  if (sqlite3_step (stmt) == SQLITE_ROW)
    agent = find_agent ("user_id", (const char *) sqlite3_column_text (stmt, 0));
  if (agent && consume)
    {
      g_autoptr (sqlite3_stmt) del = db_prepare ("DELETE FROM tokens WHERE token = ?");

      sqlite3_bind_text (del, 1, token, -1, SQLITE_TRANSIENT);
      sqlite3_step (del);
    }
  return agent;
}

static JsonObject *
bearer_agent (SoupServerMessage *msg)
{
  const char *auth
    = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer "))
    return NULL;
  return token_agent ("access", auth + 7, FALSE);
}

/* Sessions carry the brand /lab/branding set, as a call center's would. */
static void
add_branding (JsonObject *o)
{
  if (backend.branding)
    json_object_set_object_member (o, "branding", json_object_ref (backend.branding));
}

static JsonObject *
user_object (JsonObject *agent)
{
  JsonObject *user = json_object_new ();
  JsonObject *config = json_object_new ();
  JsonArray *domains = json_array_new ();
  JsonObject *domain = json_object_new ();
  JsonArray *extensions = json_array_new ();
  JsonObject *extension = json_object_new ();

  json_object_set_string_member (user, "user_id", json_object_get_string_member (agent, "user_id"));
  json_object_set_string_member (user, "email", json_object_get_string_member (agent, "email"));
  json_object_set_string_member (user, "name", json_object_get_string_member (agent, "name"));
  json_object_set_string_member (user, "team", json_object_get_string_member (agent, "team"));
  json_object_set_boolean_member (user, "agent_exists", TRUE);
  json_object_set_string_member (extension, "extension",
                                 json_object_get_string_member (agent, "extension"));
  json_object_set_string_member (extension, "sip_password",
                                 json_object_get_string_member (agent, "sip_password"));
  json_array_add_object_element (extensions, extension);
  json_object_set_string_member (domain, "sip_domain",
                                 json_object_get_string_member (agent, "sip_domain"));
  json_object_set_string_member (domain, "sip_proxy_1",
                                 json_object_get_string_member (agent, "sip_proxy"));
  json_object_set_string_member (domain, "transport", "udp");
  /* The media's NAT helpers the lab hands this agent, if any. */
  if (json_object_has_member (agent, "media_nat"))
    {
      JsonObject *nat = json_object_get_object_member (agent, "media_nat");
      g_autoptr (GList) keys = json_object_get_members (nat);

      for (GList *k = keys; k; k = k->next)
        json_object_set_member (domain, k->data,
                                json_node_copy (json_object_get_member (nat, k->data)));
    }
  json_object_set_array_member (domain, "extensions", extensions);
  json_array_add_object_element (domains, domain);
  json_object_set_array_member (config, "domains", domains);
  json_object_set_object_member (user, "dialer_config", config);
  return user;
}

static void
reply_tokens (SoupServerMessage *msg, JsonObject *agent)
{
  const char *user_id = json_object_get_string_member (agent, "user_id");
  g_autofree char *access = new_token ("access", user_id, backend.token_lifetime);
  g_autofree char *refresh = new_token ("refresh", user_id, 30 * 24 * 3600);
  g_autoptr (JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "access_token", access);
  json_object_set_string_member (o, "refresh_token", refresh);
  json_object_set_string_member (o, "token_type", "Bearer");
  json_object_set_int_member (o, "expires_in", backend.token_lifetime);
  json_object_set_object_member (o, "user", user_object (agent));
  add_branding (o);
  reply_object (msg, SOUP_STATUS_OK, o);
}

/* ---- request bodies ---- */

static JsonObject *
form_object (GBytes *bytes)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr (GHashTable) form = soup_form_decode (text);
  JsonObject *o = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (o, key, value);
  return o;
}

/* A JSON object body, or a form body as an object of strings. JSON wins
 * whatever the type says: clients label JSON as a form more often than not. */
static JsonObject *
request_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type
    = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL))
    {
      root = json_parser_get_root (parser);
      return root && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root))
                                                   : NULL;
    }
  if (g_strcmp0 (type, "application/x-www-form-urlencoded") == 0)
    return form_object (bytes);
  return NULL;
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *node = o ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* ---- OAuth ---- */

static gboolean
pkce_matches (const char *challenge, const char *verifier)
{
  g_autoptr (GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autofree char *b64 = NULL;

  if (challenge == NULL || verifier == NULL)
    return FALSE;
  g_checksum_update (sha, (const guchar *) verifier, -1);
  g_checksum_get_digest (sha, digest, &len);
  b64 = g_base64_encode (digest, len);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_str_equal (b64, challenge);
}

static void
handle_token (SoupServerMessage *msg)
{
  g_autoptr (JsonObject) body = request_object (msg);
  const char *grant = member_string (body, "grant_type");
  JsonObject *agent = NULL;

  if (body == NULL)
    return reply_error (msg, 400, "invalid_request", "The body is not JSON or a form");
  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *code = member_string (body, "code");
      JsonObject *grant_info = code ? g_hash_table_lookup (backend.codes, code) : NULL;

      if (grant_info
          && pkce_matches (member_string (grant_info, "code_challenge"),
                           member_string (body, "code_verifier"))
          && g_strcmp0 (member_string (grant_info, "redirect_uri"),
                        member_string (body, "redirect_uri"))
               == 0)
        agent = find_agent ("user_id", member_string (grant_info, "user_id"));
      if (code)
        g_hash_table_remove (backend.codes, code);
      if (agent == NULL)
        return reply_error (msg, 400, "invalid_grant", "The code or its verifier is wrong");
    }
  else
    {
      agent = find_agent ("email", member_string (body, "email"));
      if (agent == NULL
          || g_strcmp0 (member_string (agent, "password"), member_string (body, "password")) != 0)
        return reply_error (msg, 401, "invalid_grant", "Wrong email or password");
    }
  backend.logins++;
  reply_tokens (msg, agent);
}

static void
handle_refresh (SoupServerMessage *msg)
{
  g_autoptr (JsonObject) body = request_object (msg);
  JsonObject *agent = token_agent ("refresh", member_string (body, "refresh_token"), TRUE);

  backend.refreshes++;
  if (agent == NULL)
    return reply_error (msg, 401, "invalid_grant", "The refresh token is not valid");
  reply_tokens (msg, agent);
}

static void
handle_session (SoupServerMessage *msg, JsonObject *agent)
{
  g_autoptr (JsonObject) o = json_object_new ();

  json_object_set_object_member (o, "user", user_object (agent));
  add_branding (o);
  reply_object (msg, SOUP_STATUS_OK, o);
}

static void
handle_logout (SoupServerMessage *msg, JsonObject *agent)
{
  g_autoptr (sqlite3_stmt) stmt = db_prepare ("DELETE FROM tokens WHERE user_id = ?");

  sqlite3_bind_text (stmt, 1, json_object_get_string_member (agent, "user_id"), -1,
                     SQLITE_TRANSIENT);
  sqlite3_step (stmt);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static gboolean
loopback_redirect (const char *uri)
{
  g_autoptr (GUri) parsed = uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  return parsed && g_strcmp0 (g_uri_get_scheme (parsed), "http") == 0
         && g_strcmp0 (g_uri_get_host (parsed), "127.0.0.1") == 0;
}

/* The browser's sign-in page: a plain form that posts back here. */
static void
handle_authorize_page (SoupServerMessage *msg, GHashTable *query)
{
  static const char *const fields[]
    = { "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method" };
  g_autoptr (GString) page = g_string_new ("<!DOCTYPE html><html><head><title>Sign in</title>"
                                           "</head><body><h1>Call center sign-in</h1>"
                                           "<form method=\"post\" action=\"/oauth/authorize\">");

  if (query == NULL || !loopback_redirect (g_hash_table_lookup (query, "redirect_uri"))
      || g_strcmp0 (g_hash_table_lookup (query, "code_challenge_method"), "S256") != 0)
    return reply_error (msg, 400, "invalid_request",
                        "A loopback redirect_uri and an S256 code_challenge are required");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value
        = g_markup_escape_text (g_hash_table_lookup (query, fields[i]) ?: "", -1);

      g_string_append_printf (page, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", fields[i],
                              value);
    }
  g_string_append (page, "<label>Email <input name=\"email\"></label>"
                         "<label>Password <input name=\"password\" type=\"password\"></label>"
                         "<button type=\"submit\">Sign in</button></form></body></html>");
  reply_text (msg, SOUP_STATUS_OK, "text/html", page->str, page->len);
}

static void
handle_authorize_post (SoupServerMessage *msg)
{
  g_autoptr (JsonObject) form = request_object (msg);
  JsonObject *agent = find_agent ("email", member_string (form, "email"));
  const char *redirect = member_string (form, "redirect_uri");
  g_autofree char *code = NULL;
  g_autofree char *location = NULL;
  g_autofree char *state = NULL;
  JsonObject *grant;

  if (!loopback_redirect (redirect))
    return reply_error (msg, 400, "invalid_request", "The redirect_uri is not a loopback URI");
  if (agent == NULL
      || g_strcmp0 (member_string (agent, "password"), member_string (form, "password")) != 0)
    return reply_error (msg, 401, "access_denied", "Wrong email or password");
  code = g_strdup_printf ("code_%08x%08x", g_random_int (), g_random_int ());
  grant = json_object_new ();
  json_object_set_string_member (grant, "user_id", member_string (agent, "user_id"));
  json_object_set_string_member (grant, "redirect_uri", redirect);
  json_object_set_string_member (grant, "code_challenge",
                                 member_string (form, "code_challenge") ?: "");
  g_hash_table_insert (backend.codes, g_strdup (code), grant);
  state = g_uri_escape_string (member_string (form, "state") ?: "", NULL, FALSE);
  location = g_strdup_printf ("%s?code=%s&state=%s", redirect, code, state);
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
}

/* ---- call history ---- */

static gint64
int_member (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : 0;
}

static void
handle_history_list (SoupServerMessage *msg, JsonObject *agent, GHashTable *query)
{
  const char *user_id = json_object_get_string_member (agent, "user_id");
  gint64 limit = CLAMP (
    g_ascii_strtoll (query ? g_hash_table_lookup (query, "limit") ?: "100" : "100", NULL, 10), 1,
    1000);
  gint64 offset = MAX (
    0, g_ascii_strtoll (query ? g_hash_table_lookup (query, "offset") ?: "0" : "0", NULL, 10));
  g_autoptr (sqlite3_stmt) count = db_prepare ("SELECT count(*) FROM calls WHERE user_id = ?");
  g_autoptr (sqlite3_stmt) rows = db_prepare (
    "SELECT record FROM calls WHERE user_id = ? ORDER BY started_at DESC LIMIT ? OFFSET ?");
  g_autoptr (JsonObject) o = json_object_new ();
  JsonArray *calls = json_array_new ();
  gint64 total;

  sqlite3_bind_text (count, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_step (count);
  total = sqlite3_column_int64 (count, 0);
  sqlite3_bind_text (rows, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (rows, 2, limit);
  sqlite3_bind_int64 (rows, 3, offset);
  while (sqlite3_step (rows) == SQLITE_ROW)
    json_array_add_element (calls,
                            json_from_string ((const char *) sqlite3_column_text (rows, 0), NULL));
  json_object_set_array_member (o, "calls", calls);
  json_object_set_int_member (o, "total", total);
  json_object_set_boolean_member (o, "hasMore", offset + json_array_get_length (calls) < total);
  reply_object (msg, SOUP_STATUS_OK, o);
}

static void
store_call (const char *user_id, JsonObject *record)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), record);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr (sqlite3_stmt) stmt = db_prepare ("INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?)");

  sqlite3_bind_text (stmt, 1, member_string (record, "callId"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, int_member (record, "startedAt"));
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_TRANSIENT);
  sqlite3_step (stmt);
}

static JsonObject *
load_call (const char *user_id, const char *call_id)
{
  g_autoptr (sqlite3_stmt) stmt
    = db_prepare ("SELECT record FROM calls WHERE call_id = ? AND user_id = ?");
  g_autoptr (JsonNode) node = NULL;

  sqlite3_bind_text (stmt, 1, call_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  node = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);
  return node ? json_object_ref (json_node_get_object (node)) : NULL;
}

/* A finished recording's address, once the call is stored too. */
static void
apply_recording (const char *user_id, JsonObject *record)
{
  g_autoptr (sqlite3_stmt) stmt = db_prepare ("SELECT url FROM recordings WHERE call_id = ?");

  sqlite3_bind_text (stmt, 1, member_string (record, "callId"), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    json_object_set_string_member (record, "recordingUrl",
                                   (const char *) sqlite3_column_text (stmt, 0));
}

static void
handle_history_post (SoupServerMessage *msg, JsonObject *agent)
{
  const char *user_id = json_object_get_string_member (agent, "user_id");
  g_autoptr (JsonObject) record = request_object (msg);
  const char *call_id = member_string (record, "callId");
  g_autoptr (JsonObject) existing = NULL;

  backend.history_posts++;
  if (call_id == NULL || *call_id == '\0' || int_member (record, "startedAt") <= 0)
    return reply_error (msg, 400, "invalid_request", "callId and startedAt are required");
  existing = load_call (user_id, call_id);
  if (existing)
    return reply_object (msg, SOUP_STATUS_OK, existing);
  json_object_set_string_member (record, "userId", user_id);
  apply_recording (user_id, record);
  store_call (user_id, record);
  reply_object (msg, SOUP_STATUS_CREATED, record);
}

static void
handle_history_patch (SoupServerMessage *msg, JsonObject *agent, const char *call_id)
{
  const char *user_id = json_object_get_string_member (agent, "user_id");
  g_autoptr (JsonObject) changes = request_object (msg);
  g_autoptr (JsonObject) record = load_call (user_id, call_id);
  g_autoptr (GList) names = NULL;

  if (changes == NULL)
    return reply_error (msg, 400, "invalid_request", "The body is not a JSON object");
  if (record == NULL)
    return reply_error (msg, 404, "not_found", "No such call");
  names = json_object_get_members (changes);
  for (GList *l = names; l; l = l->next)
    if (!g_str_equal (l->data, "callId") && !g_str_equal (l->data, "userId"))
      json_object_set_member (record, l->data,
                              json_node_copy (json_object_get_member (changes, l->data)));
  store_call (user_id, record);
  backend.history_patches++;
  reply_object (msg, SOUP_STATUS_OK, record);
}

/* ---- agent status and recording ---- */

static const char *const statuses[] = { "idle", "busy", "rest", "wrap-up", NULL };
static const char *const reasons[] = { "", "meeting", "meal", "break", "sleeping", "other", NULL };

static void
reply_agent_status (SoupServerMessage *msg, const char *user_id)
{
  g_autoptr (sqlite3_stmt) stmt
    = db_prepare ("SELECT status, reason FROM agent_status WHERE user_id = ?");
  g_autoptr (JsonObject) o = json_object_new ();
  gboolean found;

  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  json_object_set_string_member (o, "status",
                                 found ? (const char *) sqlite3_column_text (stmt, 0) : "idle");
  json_object_set_string_member (o, "reason",
                                 found ? (const char *) sqlite3_column_text (stmt, 1) : "");
  reply_object (msg, SOUP_STATUS_OK, o);
}

static void
handle_agent_status_put (SoupServerMessage *msg, JsonObject *agent)
{
  const char *user_id = json_object_get_string_member (agent, "user_id");
  g_autoptr (JsonObject) body = request_object (msg);
  const char *status = member_string (body, "status");
  const char *reason = member_string (body, "reason") ?: "";
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (status == NULL || !g_strv_contains (statuses, status) || !g_strv_contains (reasons, reason)
      || (g_str_equal (status, "rest") != (*reason != '\0')))
    return reply_error (msg, 400, "invalid_request", "Unknown status or reason");
  stmt = db_prepare ("INSERT OR REPLACE INTO agent_status VALUES (?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now_s ());
  sqlite3_step (stmt);
  reply_agent_status (msg, user_id);
}

static void
handle_recording (SoupServerMessage *msg, JsonObject *agent, const char *base)
{
  const char *user_id = json_object_get_string_member (agent, "user_id");
  g_autoptr (JsonObject) body = request_object (msg);
  const char *call_id = member_string (body, "callId");
  const char *action = member_string (body, "action");
  g_autoptr (JsonObject) o = json_object_new ();
  g_autoptr (JsonObject) record = NULL;
  g_autofree char *url = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean start = g_strcmp0 (action, "start") == 0;

  if (call_id == NULL || (!start && g_strcmp0 (action, "stop") != 0))
    return reply_error (msg, 400, "invalid_request", "callId and action start|stop are required");
  url = start ? NULL : g_strdup_printf ("%s/recordings/%s.wav", base, call_id);
  stmt = db_prepare ("INSERT OR REPLACE INTO recordings VALUES (?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, call_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, start);
  sqlite3_bind_text (stmt, 4, url, -1, SQLITE_TRANSIENT);
  sqlite3_step (stmt);
  record = load_call (user_id, call_id);
  if (record && url)
    {
      json_object_set_string_member (record, "recordingUrl", url);
      store_call (user_id, record);
    }
  json_object_set_string_member (o, "callId", call_id);
  json_object_set_boolean_member (o, "recording", start);
  if (url)
    json_object_set_string_member (o, "recordingUrl", url);
  reply_object (msg, SOUP_STATUS_OK, o);
}

/* ---- park slots (rl-park-lot.c) ---- */

static void
handle_park_slots (SoupServerMessage *msg, GHashTable *query)
{
  const char *domain = query ? g_hash_table_lookup (query, "domain") : NULL;
  g_autoptr (JsonNode) none = json_node_init_array (json_node_alloc (), json_array_new ());
  g_autoptr (JsonNode) slots = NULL;

  if (domain == NULL)
    return reply_error (msg, 400, "invalid_request", "domain is required");
  if (!rl_park_lot_serves (domain))
    return reply_json (msg, 200, none);
  slots = rl_park_lot_to_json ();
  reply_json (msg, 200, slots);
}

/* The numbers an agent may call from (Convirza's fetchOrderedNumbers): two
 * of the call center's lines, and one of the agent's own (+1555020<ext>). */
static void
handle_phone_numbers (SoupServerMessage *msg, JsonObject *agent)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *own = g_strdup_printf (
    "+1555020%s", json_object_get_string_member_with_default (agent, "extension", "0"));
  const char *numbers[][2]
    = { { "+15550100", "Sales" }, { "+15550199", "Support" }, { own, "Direct" } };
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "phoneNumber");
      json_builder_add_string_value (b, numbers[i][0]);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, numbers[i][1]);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, "provisioned");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, G_N_ELEMENTS (numbers));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (msg, 200, root);
}

/* Finds the free or taken slot a park or retrieve request names; replies
 * with the error and returns NULL when there is none. */
static RlParkSlot *
request_slot (SoupServerMessage *msg, JsonObject *body, gboolean want_occupied)
{
  const char *extension = member_string (body, "extension");
  const char *domain = member_string (body, "sipDomain");
  RlParkSlot *slot = rl_park_lot_find (extension);

  if (extension == NULL || (domain && !rl_park_lot_serves (domain)) || slot == NULL)
    reply_error (msg, 404, "not_found", "No such park slot");
  else if (rl_park_slot_is_occupied (slot) != want_occupied)
    reply_error (msg, 409, "conflict",
                 want_occupied ? "Nothing is parked in that slot" : "That slot is occupied");
  else
    return slot;
  return NULL;
}

static void
handle_park_call (SoupServerMessage *msg, JsonObject *agent)
{
  g_autoptr (JsonObject) body = request_object (msg);
  RlParkSlot *slot = request_slot (msg, body, FALSE);
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *target = NULL;

  if (slot == NULL)
    return;
  target = rl_park_slot_expect (slot, json_object_get_string_member (agent, "extension"));
  json_object_set_boolean_member (o, "success", TRUE);
  json_object_set_string_member (o, "transferTo", target);
  reply_object (msg, 200, o);
}

static void
handle_retrieve_call (SoupServerMessage *msg, JsonObject *agent)
{
  g_autoptr (JsonObject) body = request_object (msg);
  RlParkSlot *slot = request_slot (msg, body, TRUE);
  g_autoptr (JsonObject) o = json_object_new ();

  if (slot == NULL)
    return;
  json_object_set_string_member (o, "phoneNumber", rl_park_slot_get_peer (slot));
  if (!rl_park_slot_retrieve (slot, json_object_get_string_member (agent, "extension")))
    return reply_error (msg, 502, "park_failed", "The park slot did not take the request");
  json_object_set_boolean_member (o, "success", TRUE);
  reply_object (msg, 200, o);
}

/* ---- the lab's controls ---- */

static void
handle_lab (SoupServerMessage *msg, const char *path)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) o = json_object_new ();

  if (g_str_equal (path, "/lab/fault"))
    {
      body = request_object (msg);
      g_free (backend.fault);
      backend.fault = g_strdup (member_string (body, "mode") ?: "none");
      backend.fault_left = body ? int_member (body, "count") : 0;
      backend.delay_ms = body ? int_member (body, "delay_ms") : 0;
      g_free (backend.fault_path);
      backend.fault_path = g_strdup (member_string (body, "path") ?: "/");
      g_free (backend.fault_method);
      backend.fault_method = g_strdup (member_string (body, "method") ?: "");
      g_free (backend.fault_location);
      backend.fault_location = g_strdup (member_string (body, "location") ?: "");
    }
  else if (g_str_equal (path, "/lab/clock"))
    {
      body = request_object (msg);
      backend.clock_offset = body ? int_member (body, "offset") : 0;
    }
  else if (g_str_equal (path, "/lab/branding"))
    {
      g_clear_pointer (&backend.branding, json_object_unref);
      backend.branding = request_object (msg);
    }
  else if (g_str_equal (path, "/lab/expire"))
    db_exec ("UPDATE tokens SET expires_at = 0 WHERE kind = 'access'");
  else if (!g_str_equal (path, "/lab/stats"))
    return reply_error (msg, 404, "not_found", "No such lab control");
  json_object_set_int_member (o, "logins", backend.logins);
  json_object_set_int_member (o, "refreshes", backend.refreshes);
  json_object_set_int_member (o, "history_posts", backend.history_posts);
  json_object_set_int_member (o, "moved_requests", backend.moved_requests);
  json_object_set_int_member (o, "history_patches", backend.history_patches);
  json_object_set_int_member (o, "logo_fetches", backend.logo_fetches);
  reply_object (msg, SOUP_STATUS_OK, o);
}

/* What a fault does to one API request; TRUE when it answered it. */
static gboolean
faulty (SoupServerMessage *msg, const char *path)
{
  return backend.fault && !g_str_equal (backend.fault, "none")
         && g_str_has_prefix (path, backend.fault_path ? backend.fault_path : "/")
         && (backend.fault_method == NULL || *backend.fault_method == '\0'
             || g_str_equal (backend.fault_method, soup_server_message_get_method (msg)));
}

static gboolean
apply_fault (SoupServerMessage *msg, const char *path)
{
  g_autofree char *fault = NULL;

  if (!faulty (msg, path) || g_str_equal (backend.fault, "slow"))
    return FALSE;
  fault = g_strdup (backend.fault);
  if (backend.fault_left && --backend.fault_left == 0)
    g_clear_pointer (&backend.fault, g_free);
  if (g_str_equal (fault, "500"))
    reply_error (msg, 500, "server_error", "The lab was told to fail");
  else if (g_str_equal (fault, "401"))
    reply_error (msg, 401, "invalid_token", "The lab was told to refuse tokens");
  else if (g_str_equal (fault, "403"))
    reply_error (msg, 403, "forbidden", "The lab was told to forbid this");
  else if (g_str_equal (fault, "400"))
    reply_error (msg, 400, "invalid_call", "The lab was told to refuse this call");
  else if (g_str_equal (fault, "redirect"))
    {
      /* 307: a client that follows it sends the same body and headers on. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    backend.fault_location);
      soup_server_message_set_status (msg, 307, NULL);
    }
  else if (g_str_equal (fault, "garbage"))
    reply_text (msg, 200, "application/json", "<html>not json", 14);
  else if (g_str_equal (fault, "partial"))
    reply_text (msg, 200, "application/json", "{\"user\": {\"user_id\": \"1", 23);
  else if (g_str_equal (fault, "types"))
    reply_text (msg, 200, "application/json",
                "{\"user\": [1, 2], \"access_token\": 7, \"calls\": \"no\"}", 49);
  else if (g_str_equal (fault, "nested"))
    {
      /* Deep enough to exhaust a parser that recurses per level. */
      gsize depth = 200000;
      char *body = g_malloc (2 * depth);

      memset (body, '[', depth);
      memset (body + depth, ']', depth);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, 2 * depth);
    }
  else if (g_str_equal (fault, "huge"))
    {
      gsize len = 64 * 1024 * 1024;
      char *body = g_malloc (len);

      memset (body, ' ', len);
      body[0] = '[';
      body[len - 1] = ']';
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, len);
    }
  else
    return FALSE;
  return TRUE;
}

/* The brand's logo, public as a web page's images are: a 1×1 PNG, one past
 * the 1 MiB a client should take, and one that is no image. */
static void
handle_brand (SoupServerMessage *msg, const char *path)
{
  static const guint8 png[]
    = { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
        0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08,
        0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d,
        0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82 };

  backend.logo_fetches++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (g_str_equal (path, "/brand/logo.png"))
    soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, (const char *) png,
                                      sizeof png);
  else if (g_str_equal (path, "/brand/huge.png"))
    {
      gsize len = 2 * 1024 * 1024;
      char *body = g_malloc0 (len);

      memcpy (body, png, 8);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_TAKE, body, len);
    }
  else
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "no image", 8);
}

static void
route (SoupServerMessage *msg, GHashTable *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_autofree char *base = NULL;
  JsonObject *agent;

  if (g_str_has_prefix (path, "/lab/"))
    return handle_lab (msg, path);
  if (g_str_has_prefix (path, "/brand/"))
    return handle_brand (msg, path);
  /* The API again under /moved/, as a deployment that puts its endpoints
   * elsewhere would (backend-endpoints). */
  if (g_str_has_prefix (path, "/moved/"))
    {
      backend.moved_requests++;
      path += strlen ("/moved");
    }
  if (apply_fault (msg, path))
    return;
  if (g_str_equal (path, "/oauth/token") && g_str_equal (method, "POST"))
    return handle_token (msg);
  if (g_str_equal (path, "/oauth/refresh-token") && g_str_equal (method, "POST"))
    return handle_refresh (msg);
  if (g_str_equal (path, "/oauth/authorize"))
    return g_str_equal (method, "POST") ? handle_authorize_post (msg)
                                        : handle_authorize_page (msg, query);
  agent = bearer_agent (msg);
  if (agent == NULL)
    return reply_error (msg, 401, "invalid_token", "The access token is missing or expired");
  if (g_str_equal (path, "/oauth/session"))
    return handle_session (msg, agent);
  if (g_str_equal (path, "/oauth/logout") && g_str_equal (method, "POST"))
    return handle_logout (msg, agent);
  if (g_str_equal (path, "/api/call-history"))
    return g_str_equal (method, "POST") ? handle_history_post (msg, agent)
                                        : handle_history_list (msg, agent, query);
  if (g_str_has_prefix (path, "/api/call-history/") && g_str_equal (method, "PATCH"))
    return handle_history_patch (msg, agent, path + strlen ("/api/call-history/"));
  if (g_str_equal (path, "/api/agent-status"))
    return g_str_equal (method, "PUT")
             ? handle_agent_status_put (msg, agent)
             : reply_agent_status (msg, json_object_get_string_member (agent, "user_id"));
  if (g_str_equal (path, "/v3/park-slots"))
    return handle_park_slots (msg, query);
  if (g_str_equal (path, "/v3/phone-numbers"))
    return handle_phone_numbers (msg, agent);
  if (g_str_equal (path, "/v3/park-call") && g_str_equal (method, "POST"))
    return handle_park_call (msg, agent);
  if (g_str_equal (path, "/v3/retrieve-call") && g_str_equal (method, "POST"))
    return handle_retrieve_call (msg, agent);
  base
    = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (soup_server_message_get_uri (msg)));
  if (g_str_equal (path, "/api/recording") && g_str_equal (method, "POST"))
    return handle_recording (msg, agent, base);
  reply_error (msg, 404, "not_found", "No such endpoint");
}

typedef struct
{
  SoupServerMessage *msg;
  GHashTable *query;
} Delayed;

static gboolean
on_delay_done (gpointer data)
{
  Delayed *delayed = data;

  route (delayed->msg, delayed->query);
  soup_server_message_unpause (delayed->msg);
  g_clear_pointer (&delayed->query, g_hash_table_unref);
  g_object_unref (delayed->msg);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
on_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  Delayed *delayed;

  if (soup_server_message_get_request_body (msg)->length > MAX_BODY)
    return reply_error (msg, 413, "too_large", "The body is too large");
  if (!faulty (msg, path) || g_strcmp0 (backend.fault, "slow") != 0
      || g_str_has_prefix (path, "/lab/"))
    return route (msg, query);
  delayed = g_new0 (Delayed, 1);
  delayed->msg = g_object_ref (msg);
  delayed->query = query ? g_hash_table_ref (query) : NULL;
  soup_server_message_pause (msg);
  g_timeout_add (backend.delay_ms ? backend.delay_ms : 3000, on_delay_done, delayed);
}

static JsonArray *
load_agents (const char *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("rl-backend: %s: %s", path, error->message);
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    g_error ("rl-backend: %s: not a JSON array of agents", path);
  return json_array_ref (json_node_get_array (root));
}

int
main (int argc, char **argv)
{
  int port = 0;
  int lifetime = 3600;
  g_autofree char *db = NULL;
  g_autofree char *agents = NULL;
  g_autofree char *park_slots = NULL;
  g_autofree char *sip_domain = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1", "PORT" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite file", "FILE" },
    { "agents", 0, 0, G_OPTION_ARG_FILENAME, &agents, "Agents JSON", "FILE" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &lifetime, "Access token lifetime", "SECONDS" },
    { "park-slots", 0, 0, G_OPTION_ARG_FILENAME, &park_slots, "Park slots JSON", "FILE" },
    { "sip-domain", 0, 0, G_OPTION_ARG_STRING, &sip_domain, "The SIP domain", "DOMAIN" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- Ringline's lab backend");
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || port <= 0 || !db || !agents)
    g_error ("rl-backend: %s", error ? error->message : "--port, --db and --agents are required");
  backend.token_lifetime = lifetime;
  backend.agents = load_agents (agents);
  backend.codes
    = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  db_open (db);
  if (park_slots)
    rl_park_lot_load (park_slots, sip_domain ? sip_domain : "");
  server = soup_server_new ("server-header", "rl-backend", NULL);
  soup_server_add_handler (server, NULL, on_request, NULL, NULL);
  address = g_inet_socket_address_new (lo, port);
  if (!soup_server_listen (server, address, 0, &error))
    g_error ("rl-backend: %s", error->message);
  g_main_loop_run (loop);
  return 0;
}
