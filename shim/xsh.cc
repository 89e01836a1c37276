/* xsh.cc - the shim: clausal's C API (xsh.h) implemented over Xapian 1.4.
 *
 * The only C++ in the tree.  Every exported function is extern "C" and
 * wraps its body in try/catch(...); the one classifier, fail_current(),
 * rethrows the exception in flight and maps it to a cl_status, copying
 * the message into *err inside the catch clause.  Nothing here prints,
 * logs, exits or keeps global state.
 *
 * Handles are plain structs around Xapian's reference-counted objects.
 * A search result (xsh_mset) keeps its own copy of the Database and the
 * Enquire, so hits stay readable after xsh_close() of a reader; closing a
 * writer closes its Xapian database for every copy (Database::close()).
 */
#include "xsh.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <fstream>
#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

/* BM25's parameters other than k1 and b, for every ranked search (and
 * xsh_mset_explain): no query-length term, wqf counted once more, short
 * documents taken as half the average length. */
static const double BM25_K2 = 0, BM25_K3 = 1, BM25_MIN_NORMLEN = 0.5;

/* Xapian's (glass) limit on the length of a term, in bytes. */
#define XSH_MAX_TERM 245

/* One shard of a stub file: a local database or a remote server. */
struct XShard {
    std::string name;  /* the path as the stub gives it, or "host:port" */
    Xapian::Database db;
    bool remote = false;
    bool missing = false; /* left out (a partial open, or gone since) */
    std::string why;      /* why it is missing                        */
};

struct xsh_db {
    Xapian::Database *db = nullptr;         /* the database, reader or writer */
    Xapian::WritableDatabase *wdb = nullptr; /* == db for a writer, else NULL */
    bool in_tx = false;                     /* a transaction was begun, not ended */
    /* A stub file read by the shim: its shards in stub order (empty for
     * one database); *db is the live ones added together. */
    std::vector<XShard> shards;
    bool has_remote = false; /* a live shard is remote                   */
    bool partial = false;    /* leave out shards that fail, do not fail  */
};

struct xsh_doc {
    Xapian::Document doc;
};

/* The shape of a query as the shim built it, kept beside the Xapian query
 * so that xsh_mset_explain can walk it: Xapian 1.4 does not hand out a
 * query's terms with their wqf, scale factors or wildcard patterns. */
namespace {
struct XNode;
typedef std::shared_ptr<const XNode> XNodeP;
struct XNode {
    enum Kind { TERM, ALL, NOTHING, VALUE, BRANCH, SCALE, WILDCARD } kind;
    int op = 0;               /* BRANCH: enum xsh_op                          */
    unsigned window = 0;      /* BRANCH: PHRASE and NEAR                      */
    unsigned max_expansion = 0; /* WILDCARD                                   */
    std::string term;         /* TERM: the term; WILDCARD: the prefix         */
    Xapian::termcount wqf = 1;/* TERM                                         */
    double factor = 1.0;      /* SCALE                                        */
    std::vector<XNodeP> subs; /* BRANCH, SCALE                                */
    Xapian::Query q;          /* this node as Xapian builds it                */
    explicit XNode(Kind k) : kind(k) {}
};
} // namespace

struct xsh_query {
    Xapian::Query q;
    XNodeP node;
};

struct xsh_mset {
    /* Members are destroyed in reverse order: the Enquire goes before the
     * match spy it points to. */
    Xapian::Database db;
    std::unique_ptr<Xapian::ValueCountMatchSpy> spy;
    std::unique_ptr<Xapian::MultiValueKeyMaker> keymaker;
    std::unique_ptr<Xapian::MatchSpy> timer;
    Xapian::Enquire enq;
    Xapian::MSet mset;
    std::string buf; /* bytes lent by xsh_mset_data / xsh_mset_value */
    /* for xsh_mset_explain: the query, the weighting, and the termfreq
     * estimates of its synonym groups, worked out once */
    XNodeP node;
    double k1 = 1.2, b = 0.75;
    bool bool_only = false;
    std::map<const XNode *, Xapian::doccount> group_tf;
    std::string label;
    /* A match whose decider or sort key ran here (remote shards): its
     * hits, counts and facets; mset then holds the last page of
     * candidates (for term weights). */
    struct Hit {
        Xapian::docid did;
        double wt;
        Xapian::doccount collapse_count;
    };
    bool emulated = false;
    bool fetched = false; /* remote: every hit's document asked for at once */
    std::vector<Hit> hits;
    Xapian::doccount first = 0, lower = 0, estimated = 0, upper = 0;
    bool facets_on = false;
    std::map<std::string, Xapian::doccount> facets;

    explicit xsh_mset(const Xapian::Database &d) : db(d), enq(db) {}
};

/* ---- errors ----------------------------------------------------------- */

/* Store a copy of msg in *err (freeing the previous one).  Never throws;
 * when malloc fails *err is left NULL and the status stays right. */
static void set_err(char **err, const char *msg, size_t len)
{
    if (!err)
        return;
    std::free(*err);
    *err = static_cast<char *>(std::malloc(len + 1));
    if (*err) {
        std::memcpy(*err, msg, len);
        (*err)[len] = '\0';
    }
}

static void set_err(char **err, const char *msg)
{
    set_err(err, msg, std::strlen(msg));
}

static cl_status fail(char **err, cl_status st, const char *msg)
{
    set_err(err, msg);
    return st;
}

static cl_status xapian_fail(char **err, cl_status st, const Xapian::Error &e)
{
    try {
        std::string d = e.get_description();
        set_err(err, d.data(), d.size());
    } catch (...) {
        set_err(err, e.get_type()); /* a static string: needs no copy */
    }
    return st;
}

static bool path_missing(const char *path)
{
    struct stat st;
    return path && stat(path, &st) != 0 && errno == ENOENT;
}

/* The one classifier: call only inside a catch clause.  `path` (may be
 * NULL) is the database path of an open, so that an opening error on a
 * path that does not exist reads as CL_NOTFOUND. */
static cl_status fail_current(char **err, const char *path = NULL)
{
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_fail(err, CL_MODIFIED, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return xapian_fail(err, CL_LOCKED, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return xapian_fail(err, CL_NOTFOUND, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_fail(err, CL_NOTFOUND, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_fail(err, CL_CORRUPT, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_fail(err, CL_VERSION, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        if (path_missing(path))
            return xapian_fail(err, CL_NOTFOUND, e);
        return xapian_fail(err, e.get_error_string() ? CL_IO : CL_ERROR, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::QueryParserError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::WildcardError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::UnimplementedError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::RangeError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::DatabaseError &e) {
        /* create errors, closed databases, low-level failures: an OS
         * error behind it makes it I/O. */
        return xapian_fail(err, e.get_error_string() ? CL_IO : CL_ERROR, e);
    } catch (const Xapian::Error &e) {
        return xapian_fail(err, CL_ERROR, e);
    } catch (const std::bad_alloc &) {
        return fail(err, CL_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return fail(err, CL_ERROR, e.what());
    } catch (...) {
        return fail(err, CL_ERROR, "unknown C++ exception");
    }
}

/* ---- small helpers ----------------------------------------------------- */

/* Bytes (p, len) as a std::string; p may be NULL only when len is 0. */
static std::string bytes(const char *p, size_t len)
{
    return len ? std::string(p, len) : std::string();
}

/* Checks shared by every call that takes a term. */
static cl_status check_term(const char *term, size_t len, char **err)
{
    if (!term && len)
        return fail(err, CL_INVALID, "NULL term with non-zero length");
    if (len > XSH_MAX_TERM)
        return fail(err, CL_INVALID, "term longer than 245 bytes (Xapian's limit)");
    return CL_OK;
}

static cl_status check_bytes(const char *p, size_t len, char **err)
{
    if (!p && len)
        return fail(err, CL_INVALID, "NULL pointer with non-zero length");
    return CL_OK;
}

static cl_status check_db(const xsh_db *db, char **err)
{
    if (!db)
        return fail(err, CL_INVALID, "NULL database");
    return CL_OK;
}

static cl_status check_writer(const xsh_db *db, char **err)
{
    if (!db)
        return fail(err, CL_INVALID, "NULL database");
    if (!db->wdb)
        return fail(err, CL_INVALID, "database is open read-only");
    return CL_OK;
}

/* malloc'ed, NUL-terminated copy of s; NULL when out of memory. */
static char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p) {
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

/* A new handle for q, whose shape is node (built here when NULL: a node
 * of kind k). */
static cl_status new_query(const Xapian::Query &q, XNode::Kind k, xsh_query **out,
                           std::shared_ptr<XNode> node = nullptr)
{
    if (!node)
        node = std::make_shared<XNode>(k);
    node->q = q;
    *out = new xsh_query{q, node};
    return CL_OK;
}

static cl_status copy_query(const xsh_query *q, xsh_query **out)
{
    *out = new xsh_query{q->q, q->node};
    return CL_OK;
}

/* Remote shards of `shards` that do not answer now, joined by ", "
 * (marked missing, with why, when mark is set). */
static std::string dead_shards(std::vector<XShard> &shards, bool mark, const std::string &why)
{
    std::string dead;
    for (XShard &s : shards) {
        if (s.missing || !s.remote)
            continue;
        try {
            s.db.keep_alive();
        } catch (...) {
            dead += (dead.empty() ? "" : ", ") + s.name;
            if (mark) {
                s.missing = true;
                s.why = why;
            }
        }
    }
    return dead;
}

/* The classifier for calls on a database that may have remote shards:
 * a failure that a shard's silence explains names the shard (CL_IO).
 * Call only inside a catch clause. */
static cl_status fail_shards(std::vector<XShard> &shards, bool has_remote, char **err)
{
    char *e = NULL;
    cl_status st = fail_current(&e);
    std::string m = e ? e : cl_status_name(st);
    std::free(e);
    if (has_remote && st != CL_NOMEM && st != CL_INVALID) {
        std::string dead = dead_shards(shards, false, m);
        if (!dead.empty()) {
            set_err(err, ("shard " + dead + " does not answer: " + m).c_str());
            return CL_IO;
        }
    }
    set_err(err, m.c_str());
    return st;
}

static cl_status fail_db(xsh_db *db, char **err)
{
    return fail_shards(db->shards, db->has_remote, err);
}

extern "C" {

/* ---- databases --------------------------------------------------------- */

void xsh_read_opts_init(xsh_read_opts *o)
{
    if (!o)
        return;
    o->connect_timeout_ms = 10000;
    o->timeout_ms = 10000;
    o->partial = 0;
}

} /* extern "C" */

/* A regular file of text whose lines are stub lines: a database type and
 * its argument ("auto", "glass", "chert", "remote", "inmemory"), blank,
 * or "#" comments.  (A single-file glass database starts with binary
 * bytes; anything else is no stub.) */
static bool is_stub_file(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > 1 << 20)
        return false;
    std::ifstream in(path);
    std::string line;
    bool any = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line[0] == '#')
            continue;
        std::string type = line.substr(0, line.find(' '));
        if (type != "auto" && type != "glass" && type != "chert" && type != "remote" &&
            type != "inmemory")
            return false;
        any = true;
    }
    return any;
}

/* Add the live shards of h together into h->db. */
static void join_shards(xsh_db *h)
{
    Xapian::Database all;
    h->has_remote = false;
    for (const XShard &s : h->shards)
        if (!s.missing) {
            all.add_database(s.db);
            if (s.remote)
                h->has_remote = true;
        }
    delete h->db;
    h->db = nullptr;
    h->db = new Xapian::Database(all);
}

/* The message of the exception in flight, as the classifier words it;
 * call only inside a catch clause. */
static std::string current_message(cl_status *st)
{
    char *e = NULL;
    *st = fail_current(&e);
    std::string m = e ? e : cl_status_name(*st);
    std::free(e);
    return m;
}

static std::string stub_of(const char *path);

/* Read the stub file at path into h: its shards, opened (those that fail
 * are left out when o->partial, else the first failure is the error).
 * A shard is a database, never a stub: one stub naming another would be
 * searched as one shard (its documents' records unread), and a stub that
 * names itself would send Xapian round for ever. */
static cl_status open_stub(const char *path, const xsh_read_opts *o, xsh_db *h, char **err)
{
    std::ifstream in(path);
    if (!in)
        return fail(err, CL_NOTFOUND, (std::string("cannot read stub file ") + path).c_str());
    std::string dir = path;
    size_t slash = dir.rfind('/');
    dir = slash == std::string::npos ? std::string() : dir.substr(0, slash + 1);
    std::string line;
    unsigned line_no = 0;
    std::map<std::string, unsigned> seen; /* each shard, by real path or address: its line */
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line[0] == '#')
            continue;
        size_t sp = line.find(' ');
        std::string type = line.substr(0, sp);
        std::string rest = sp == std::string::npos ? std::string() : line.substr(sp + 1);
        XShard sh;
        std::string host, prog, args;
        unsigned port = 0;
        if (type == "auto" || type == "glass") {
            sh.name = rest;
        } else if (type == "remote" && !rest.empty() && rest[0] == ':') {
            size_t a = rest.find(' ');
            prog = rest.substr(1, a == std::string::npos ? std::string::npos : a - 1);
            args = a == std::string::npos ? std::string() : rest.substr(a + 1);
            sh.name = rest.substr(1);
            sh.remote = true;
        } else if (type == "remote" && !rest.empty()) {
            if (rest.compare(0, 4, "tcp ") == 0)
                rest.erase(0, 4);
            size_t colon = rest.rfind(':');
            char *end = NULL;
            unsigned long p = colon == std::string::npos
                                  ? 0
                                  : std::strtoul(rest.c_str() + colon + 1, &end, 10);
            if (!p || p > 65535 || (end && *end)) {
                line_no = line_no ? line_no : 1;
                return fail(err, CL_INVALID,
                            (std::string(path) + ":" + std::to_string(line_no) +
                             ": a remote shard is `remote HOST:PORT`")
                                .c_str());
            }
            host = rest.substr(0, colon);
            if (host.size() > 1 && host[0] == '[' && host.back() == ']')
                host = host.substr(1, host.size() - 2);
            port = static_cast<unsigned>(p);
            sh.name = rest;
            sh.remote = true;
        } else {
            return fail(err, CL_INVALID,
                        (std::string(path) + ":" + std::to_string(line_no) +
                         ": not a stub line (auto PATH, glass PATH, remote HOST:PORT, "
                         "remote :PROG ARGS)")
                            .c_str());
        }
        std::string local = rest;
        if (!sh.remote && (local.empty() || local[0] != '/'))
            local = dir + local;
        if (!sh.remote && !stub_of(local.c_str()).empty())
            return fail(err, CL_INVALID,
                        (std::string(path) + ":" + std::to_string(line_no) + ": " + rest +
                         " is itself a stub: list its shards here instead")
                            .c_str());
        /* A shard listed twice would count its clauses twice. */
        std::string key = sh.remote ? (prog.empty() ? "tcp " + host + ":" + std::to_string(port)
                                                    : "prog " + rest)
                                    : local;
        if (!sh.remote) {
            if (char *real = realpath(local.c_str(), NULL)) {
                key = real;
                free(real);
            }
        }
        auto was = seen.find(key);
        if (was != seen.end())
            return fail(err, CL_INVALID,
                        (std::string(path) + ":" + std::to_string(line_no) + ": " + sh.name +
                         " is listed already (line " + std::to_string(was->second) +
                         "): list each shard once")
                            .c_str());
        seen[key] = line_no;
        try {
            if (!sh.remote) {
                sh.db = Xapian::Database(local);
            } else if (!prog.empty()) {
                sh.db = Xapian::Remote::open(prog, args, o->timeout_ms);
            } else {
                sh.db = Xapian::Remote::open(host, port, o->timeout_ms, o->connect_timeout_ms);
            }
        } catch (...) {
            cl_status st;
            std::string m = current_message(&st);
            if (!o->partial) {
                std::string msg = "shard " + sh.name + " (" + path + " line " +
                                  std::to_string(line_no) + "): " + m;
                return fail(err, sh.remote && st != CL_NOMEM ? CL_IO : st, msg.c_str());
            }
            sh.missing = true;
            sh.why = m;
        }
        h->shards.push_back(sh);
    }
    bool live = false;
    for (const XShard &s : h->shards)
        live = live || !s.missing;
    if (h->shards.empty())
        return fail(err, CL_INVALID, (std::string(path) + ": a stub file listing no shard").c_str());
    if (!live) {
        std::string msg = std::string(path) + ": no shard answers (" + h->shards[0].name + ": " +
                          h->shards[0].why + ")";
        return fail(err, CL_IO, msg.c_str());
    }
    join_shards(h);
    return CL_OK;
}

/* The stub file path stands for: itself, or a folder's XAPIANDB (a
 * "stub folder", as Xapian reads it); "" when it is no stub. */
static std::string stub_of(const char *path)
{
    std::string stub = std::string(path) + "/XAPIANDB";
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return is_stub_file(stub.c_str()) ? stub : std::string();
    return is_stub_file(path) ? std::string(path) : std::string();
}

extern "C" {

int xsh_is_stub(const char *path)
{
    try {
        return path && !stub_of(path).empty();
    } catch (...) {
        return 0;
    }
}

cl_status xsh_open_read_opts(const char *path, const xsh_read_opts *o, xsh_db **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (!path)
        return fail(err, CL_INVALID, "NULL path");
    xsh_read_opts defaults;
    if (!o) {
        xsh_read_opts_init(&defaults);
        o = &defaults;
    }
    xsh_db *h = NULL;
    try {
        h = new xsh_db();
        h->partial = o->partial != 0;
        std::string stub = stub_of(path);
        if (!stub.empty()) {
            if (cl_status st = open_stub(stub.c_str(), o, h, err)) {
                delete h->db;
                delete h;
                return st;
            }
        } else {
            h->db = new Xapian::Database(path);
        }
        *out = h;
        return CL_OK;
    } catch (...) {
        if (h)
            delete h->db;
        delete h;
        return fail_current(err, path);
    }
}

cl_status xsh_open_read(const char *path, xsh_db **out, char **err)
{
    return xsh_open_read_opts(path, NULL, out, err);
}

unsigned xsh_shard_count(const xsh_db *db)
{
    return db ? static_cast<unsigned>(db->shards.size()) : 0;
}

cl_status xsh_shard_info(const xsh_db *db, unsigned i, const char **name, int *remote,
                         int *missing, const char **why)
{
    if (!db || i >= db->shards.size())
        return CL_INVALID;
    const XShard &s = db->shards[i];
    if (name)
        *name = s.name.c_str();
    if (remote)
        *remote = s.remote;
    if (missing)
        *missing = s.missing;
    if (why)
        *why = s.why.c_str();
    return CL_OK;
}

int xsh_has_remote(const xsh_db *db)
{
    return db && db->has_remote;
}

cl_status xsh_open_write(const char *path, int mode, xsh_db **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (!path)
        return fail(err, CL_INVALID, "NULL path");
    int flags;
    switch (mode) {
    case XSH_CREATE_OR_OPEN: flags = Xapian::DB_CREATE_OR_OPEN; break;
    case XSH_CREATE_OR_OVERWRITE: flags = Xapian::DB_CREATE_OR_OVERWRITE; break;
    case XSH_OPEN: flags = Xapian::DB_OPEN; break;
    default: return fail(err, CL_INVALID, "unknown open mode");
    }
    xsh_db *h = NULL;
    try {
        h = new xsh_db();
        h->wdb = new Xapian::WritableDatabase(path, flags);
        h->db = h->wdb;
        *out = h;
        return CL_OK;
    } catch (...) {
        delete h;
        return fail_current(err, path);
    }
}

cl_status xsh_reopen(xsh_db *db, char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    try {
        db->db->reopen();
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_revision(xsh_db *db, unsigned long long *rev, char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    try {
        /* Xapian tells the revision of one database only: a stub's is
         * the sum of its shards', which grows when any of them commits. */
        if (db->shards.empty()) {
            *rev = static_cast<unsigned long long>(db->db->get_revision());
            return CL_OK;
        }
        unsigned long long sum = 0;
        for (const XShard &s : db->shards)
            if (!s.missing)
                sum += static_cast<unsigned long long>(s.db.get_revision());
        *rev = sum;
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_commit(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->commit();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_tx_begin(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->begin_transaction(true);
        db->in_tx = true;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_tx_commit(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->commit_transaction();
        db->in_tx = false;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_tx_cancel(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->cancel_transaction();
        db->in_tx = false;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

void xsh_close(xsh_db *db)
{
    if (!db)
        return;
    if (db->wdb) {
        /* Drop an open transaction first: close() would otherwise be the
         * one to decide, and an error there must not escape. */
        if (db->in_tx) {
            try {
                db->wdb->cancel_transaction();
            } catch (...) {
            }
        }
        /* Commits pending changes and releases the lock now, even if an
         * mset still shares this database. */
        try {
            db->wdb->close();
        } catch (...) {
        }
    }
    delete db->db;
    delete db;
}

cl_status xsh_doccount(xsh_db *db, unsigned *n, char **err)
{
    if (n)
        *n = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!n)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        *n = db->db->get_doccount();
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_termfreq(xsh_db *db, const char *term, size_t len, unsigned *n, char **err)
{
    if (n)
        *n = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!n)
        return fail(err, CL_INVALID, "NULL out pointer");
    if (cl_status st = check_term(term, len, err))
        return st;
    try {
        *n = db->db->get_termfreq(bytes(term, len));
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_collfreq(xsh_db *db, const char *term, size_t len, unsigned long long *n, char **err)
{
    if (n)
        *n = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!n)
        return fail(err, CL_INVALID, "NULL out pointer");
    if (cl_status st = check_term(term, len, err))
        return st;
    try {
        *n = db->db->get_collection_freq(bytes(term, len));
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_total_length(xsh_db *db, unsigned long long *n, char **err)
{
    if (n)
        *n = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!n)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        *n = db->db->get_total_length();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_get_metadata(xsh_db *db, const char *key, size_t klen, char **val, size_t *vlen,
                           char **err)
{
    if (val)
        *val = NULL;
    if (vlen)
        *vlen = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!val || !vlen)
        return fail(err, CL_INVALID, "NULL out pointer");
    if (cl_status st = check_bytes(key, klen, err))
        return st;
    try {
        std::string k = bytes(key, klen), v;
        if (db->shards.empty())
            v = db->db->get_metadata(k);
        /* Xapian answers a database of shards from the first alone. */
        for (const XShard &s : db->shards)
            if (!s.missing && !(v = s.db.get_metadata(k)).empty())
                break;
        if (v.empty())
            return CL_OK;
        char *p = dup_string(v);
        if (!p)
            return fail(err, CL_NOMEM, "out of memory");
        *val = p;
        *vlen = v.size();
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_get_metadata_each(xsh_db *db, const char *key, size_t klen, xsh_kv_cb cb, void *ctx,
                                char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (cl_status st = check_bytes(key, klen, err))
        return st;
    try {
        std::string k = bytes(key, klen);
        std::vector<std::string> vals;
        if (db->shards.empty())
            vals.push_back(db->db->get_metadata(k));
        for (const XShard &s : db->shards)
            if (!s.missing)
                vals.push_back(s.db.get_metadata(k));
        for (const std::string &v : vals)
            if (cb(ctx, k.data(), k.size(), v.data(), v.size()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_set_metadata(xsh_db *db, const char *key, size_t klen, const char *val, size_t vlen,
                           char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    if (cl_status st = check_bytes(key, klen, err))
        return st;
    if (cl_status st = check_bytes(val, vlen, err))
        return st;
    try {
        db->wdb->set_metadata(bytes(key, klen), bytes(val, vlen));
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_allterms(xsh_db *db, const char *prefix, size_t plen, xsh_term_cb cb, void *ctx,
                       char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (cl_status st = check_bytes(prefix, plen, err))
        return st;
    try {
        std::string p = bytes(prefix, plen);
        for (Xapian::TermIterator t = db->db->allterms_begin(p); t != db->db->allterms_end(p);
             ++t) {
            const std::string term = *t;
            if (cb(ctx, term.data(), term.size(), t.get_termfreq()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_metadata_walk(xsh_db *db, const char *prefix, size_t plen, xsh_kv_cb cb, void *ctx,
                            char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (cl_status st = check_bytes(prefix, plen, err))
        return st;
    try {
        std::string p = bytes(prefix, plen);
        /* Xapian lists the keys of a database of shards from the first
         * alone: merge the shards' lists, the first shard's value first. */
        struct Cursor {
            Xapian::Database db;
            Xapian::TermIterator it, end;
        };
        std::vector<Cursor> cs;
        if (db->shards.empty())
            cs.push_back({*db->db, db->db->metadata_keys_begin(p), db->db->metadata_keys_end(p)});
        for (const XShard &s : db->shards)
            if (!s.missing)
                cs.push_back({s.db, s.db.metadata_keys_begin(p), s.db.metadata_keys_end(p)});
        for (;;) {
            const Cursor *least = nullptr;
            std::string key;
            for (const Cursor &c : cs)
                if (c.it != c.end && (!least || *c.it < key)) {
                    least = &c;
                    key = *c.it;
                }
            if (!least)
                break;
            const std::string v = least->db.get_metadata(key);
            for (Cursor &c : cs)
                if (c.it != c.end && *c.it == key)
                    ++c.it;
            if (cb(ctx, key.data(), key.size(), v.data(), v.size()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

int xsh_idlist_add(void *list, xsh_docid id)
{
    xsh_idlist *l = static_cast<xsh_idlist *>(list);
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        void *v = std::realloc(l->v, cap * sizeof *l->v);
        if (!v)
            return 1;
        l->v = static_cast<xsh_docid *>(v);
        l->cap = cap;
    }
    l->v[l->n++] = id;
    return 0;
}

cl_status xsh_postlist(xsh_db *db, const char *term, size_t len, xsh_docid_cb cb, void *ctx,
                       char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (cl_status st = check_term(term, len, err))
        return st;
    try {
        std::string t = bytes(term, len);
        for (Xapian::PostingIterator p = db->db->postlist_begin(t); p != db->db->postlist_end(t);
             ++p) {
            if (cb(ctx, *p))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_get_data(xsh_db *db, xsh_docid id, char **data, size_t *len, char **err)
{
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!data || !len)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        std::string d = db->db->get_document(id).get_data();
        char *p = dup_string(d);
        if (!p)
            return fail(err, CL_NOMEM, "out of memory");
        *data = p;
        *len = d.size();
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

cl_status xsh_copy_doc(xsh_db *dst, xsh_db *src, xsh_docid id, char **err)
{
    if (check_writer(dst, err) || check_db(src, err))
        return CL_INVALID;
    try {
        dst->wdb->add_document(src->db->get_document(id));
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_docids(xsh_db *db, xsh_docid_cb cb, void *ctx, char **err)
{
    return xsh_postlist(db, "", 0, cb, ctx, err); /* the empty term: every document */
}

/* ---- documents --------------------------------------------------------- */

xsh_doc *xsh_doc_new(void)
{
    try {
        return new xsh_doc();
    } catch (...) {
        return NULL;
    }
}

void xsh_doc_free(xsh_doc *doc)
{
    delete doc;
}

void xsh_doc_clear(xsh_doc *doc)
{
    if (!doc)
        return;
    try {
        doc->doc = Xapian::Document();
    } catch (...) {
        /* No memory for a fresh one: empty the old one in place. */
        try {
            doc->doc.clear_terms();
            doc->doc.clear_values();
            doc->doc.set_data(std::string());
        } catch (...) {
        }
    }
}

cl_status xsh_doc_add_posting(xsh_doc *doc, const char *term, size_t len, unsigned pos,
                              unsigned wdfinc)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_term(term, len, NULL))
        return st;
    try {
        doc->doc.add_posting(bytes(term, len), pos, wdfinc);
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_add_term(xsh_doc *doc, const char *term, size_t len, unsigned wdfinc)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_term(term, len, NULL))
        return st;
    try {
        doc->doc.add_term(bytes(term, len), wdfinc);
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_add_boolean_term(xsh_doc *doc, const char *term, size_t len)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_term(term, len, NULL))
        return st;
    try {
        doc->doc.add_boolean_term(bytes(term, len));
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_set_value(xsh_doc *doc, unsigned slot, const char *val, size_t len)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_bytes(val, len, NULL))
        return st;
    try {
        doc->doc.add_value(slot, bytes(val, len));
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_set_data(xsh_doc *doc, const char *data, size_t len)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_bytes(data, len, NULL))
        return st;
    try {
        doc->doc.set_data(bytes(data, len));
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_add(xsh_db *db, const xsh_doc *doc, xsh_docid *id, char **err)
{
    if (id)
        *id = 0;
    if (check_writer(db, err))
        return CL_INVALID;
    if (!doc)
        return fail(err, CL_INVALID, "NULL document");
    try {
        Xapian::docid did = db->wdb->add_document(doc->doc);
        if (id)
            *id = did;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_replace(xsh_db *db, const char *idterm, size_t len, const xsh_doc *doc,
                      char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    if (!doc)
        return fail(err, CL_INVALID, "NULL document");
    if (cl_status st = check_term(idterm, len, err))
        return st;
    if (len == 0)
        return fail(err, CL_INVALID, "empty unique term");
    try {
        db->wdb->replace_document(bytes(idterm, len), doc->doc);
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_delete(xsh_db *db, const char *term, size_t len, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    if (cl_status st = check_term(term, len, err))
        return st;
    if (len == 0)
        return fail(err, CL_INVALID, "empty term");
    try {
        db->wdb->delete_document(bytes(term, len));
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

/* ---- queries ----------------------------------------------------------- */

cl_status xsh_q_term(const char *term, size_t len, unsigned wqf, xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (cl_status st = check_term(term, len, err))
        return st;
    try {
        auto n = std::make_shared<XNode>(XNode::TERM);
        n->term = bytes(term, len);
        n->wqf = wqf;
        return new_query(Xapian::Query(n->term, wqf), XNode::TERM, out, n);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_all(xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    try {
        return new_query(Xapian::Query::MatchAll, XNode::ALL, out);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_nothing(xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    try {
        return new_query(Xapian::Query(), XNode::NOTHING, out);
    } catch (...) {
        return fail_current(err);
    }
}

} /* extern "C" */

static bool to_xop(int op, Xapian::Query::op *xop)
{
    switch (op) {
    case XSH_AND: *xop = Xapian::Query::OP_AND; return true;
    case XSH_OR: *xop = Xapian::Query::OP_OR; return true;
    case XSH_AND_NOT: *xop = Xapian::Query::OP_AND_NOT; return true;
    case XSH_FILTER: *xop = Xapian::Query::OP_FILTER; return true;
    case XSH_PHRASE: *xop = Xapian::Query::OP_PHRASE; return true;
    case XSH_NEAR: *xop = Xapian::Query::OP_NEAR; return true;
    case XSH_AND_MAYBE: *xop = Xapian::Query::OP_AND_MAYBE; return true;
    case XSH_SYNONYM: *xop = Xapian::Query::OP_SYNONYM; return true;
    default: return false;
    }
}

/* The Xapian query of a branch of n >= 2 members (xsh_q_combine). */
static Xapian::Query branch_query(int op, Xapian::Query::op xop, const std::vector<Xapian::Query> &v,
                                  unsigned window)
{
    switch (op) {
    case XSH_AND_NOT:
        return Xapian::Query(xop, v[0], Xapian::Query(Xapian::Query::OP_OR, v.begin() + 1, v.end()));
    case XSH_FILTER:
        return Xapian::Query(xop, v[0], Xapian::Query(Xapian::Query::OP_AND, v.begin() + 1, v.end()));
    case XSH_PHRASE:
        /* window 0 means "exactly adjacent": a window as wide as the
         * phrase itself. */
        return Xapian::Query(xop, v.begin(), v.end(),
                             window ? window : static_cast<Xapian::termcount>(v.size()));
    default:
        return Xapian::Query(xop, v.begin(), v.end(), window);
    }
}

extern "C" {

cl_status xsh_q_combine(int op, xsh_query *const *subs, size_t n, unsigned window,
                        xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (n && !subs)
        return fail(err, CL_INVALID, "NULL subquery array");
    for (size_t i = 0; i < n; i++)
        if (!subs[i])
            return fail(err, CL_INVALID, "NULL subquery");
    Xapian::Query::op xop;
    if (!to_xop(op, &xop))
        return fail(err, CL_INVALID, "unknown query operator");
    try {
        if (n == 0)
            return new_query(Xapian::Query(), XNode::NOTHING, out);
        if (op == XSH_SYNONYM) {
            /* As Xapian simplifies it: no MatchNothing member, and one
             * member that is a term (or a synonym) stands for itself. */
            std::vector<const xsh_query *> live;
            for (size_t i = 0; i < n; i++)
                if (subs[i]->node->kind != XNode::NOTHING)
                    live.push_back(subs[i]);
            if (live.empty())
                return new_query(Xapian::Query(), XNode::NOTHING, out);
            const XNode &only = *live[0]->node;
            if (live.size() == 1 &&
                (only.kind == XNode::TERM || only.kind == XNode::ALL ||
                 (only.kind == XNode::BRANCH && only.op == XSH_SYNONYM)))
                return copy_query(live[0], out);
        }
        if (n == 1 && op != XSH_SYNONYM)
            return copy_query(subs[0], out);
        std::vector<Xapian::Query> v;
        v.reserve(n);
        auto node = std::make_shared<XNode>(XNode::BRANCH);
        node->op = op;
        node->window = window;
        for (size_t i = 0; i < n; i++) {
            v.push_back(subs[i]->q);
            node->subs.push_back(subs[i]->node);
        }
        return new_query(branch_query(op, xop, v, window), XNode::BRANCH, out, node);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_scale(const xsh_query *q, double factor, xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (!q)
        return fail(err, CL_INVALID, "NULL query");
    try {
        Xapian::Query x(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor);
        /* Xapian drops a scale over what never weighs (MatchNothing, value
         * ranges): so does the shape. */
        if (q->node->kind == XNode::NOTHING || q->node->kind == XNode::VALUE)
            return copy_query(q, out);
        auto n = std::make_shared<XNode>(XNode::SCALE);
        n->factor = factor;
        n->subs.push_back(q->node);
        return new_query(x, XNode::SCALE, out, n);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_value_range(unsigned slot, const char *lo, size_t lolen, const char *hi,
                            size_t hilen, xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (cl_status st = check_bytes(lo, lolen, err))
        return st;
    if (cl_status st = check_bytes(hi, hilen, err))
        return st;
    try {
        /* Xapian reads a missing value as "", which OP_VALUE_GE "" would
         * match: the smallest non-empty string keeps both-open ranges to
         * documents that have a value, as OP_VALUE_LE does. */
        if (hilen == 0)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot,
                                           lolen ? bytes(lo, lolen) : std::string(1, '\0')),
                             XNode::VALUE, out);
        if (lolen == 0)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, bytes(hi, hilen)),
                             XNode::VALUE, out);
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, bytes(lo, lolen),
                                       bytes(hi, hilen)),
                         XNode::VALUE, out);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_wildcard(const char *prefix, size_t len, unsigned max_expansion, xsh_query **out,
                         char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (cl_status st = check_term(prefix, len, err))
        return st;
    try {
        auto n = std::make_shared<XNode>(XNode::WILDCARD);
        n->term = bytes(prefix, len);
        n->max_expansion = max_expansion;
        return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, n->term, max_expansion,
                                       Xapian::Query::WILDCARD_LIMIT_ERROR,
                                       Xapian::Query::OP_SYNONYM),
                         XNode::WILDCARD, out, n);
    } catch (...) {
        return fail_current(err);
    }
}

int xsh_q_empty(const xsh_query *q)
{
    return !q || q->q.empty();
}

char *xsh_q_describe(const xsh_query *q)
{
    if (!q)
        return NULL;
    try {
        return dup_string(q->q.get_description());
    } catch (...) {
        return NULL;
    }
}

cl_status xsh_q_terms(const xsh_query *q, xsh_wdf_cb cb, void *ctx, char **err)
{
    if (!q || !cb)
        return fail(err, CL_INVALID, "NULL query or callback");
    try {
        for (Xapian::TermIterator t = q->q.get_unique_terms_begin(); t != q->q.get_unique_terms_end(); ++t) {
            const std::string term = *t;
            if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z'))
                continue;
            if (cb(ctx, term.data(), term.size(), 1, 0))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

void xsh_q_free(xsh_query *q)
{
    delete q;
}

/* ---- searching --------------------------------------------------------- */

void xsh_search_opts_init(xsh_search_opts *o)
{
    if (!o)
        return;
    o->bm25_k1 = 1.2;
    o->bm25_b = 0.75;
    o->offset = 0;
    o->count = 10;
    o->check_at_least = 0;
    o->sort = XSH_SORT_RELEVANCE;
    o->sort_slot = 0;
    o->collapse_slot = -1;
    o->facet_slot = -1;
    o->bool_only = 0;
    o->accept = NULL;
    o->accept_ctx = NULL;
    o->sort_missing_last = 0;
    o->then_slot = -1;
    o->time_limit = 0;
}

namespace {
/* Thrown by Timer when a match runs out of time; caught by xsh_search
 * before the classifier. */
struct TimeUp {};

static double monotonic_now()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

/* A match spy that counts nothing: it looks at the clock every 64
 * matching documents and stops the match past its deadline. */
struct Timer : public Xapian::MatchSpy {
    double deadline;
    unsigned seen = 0;
    explicit Timer(double limit) : deadline(monotonic_now() + limit) {}
    void operator()(const Xapian::Document &, double)
    {
        if ((++seen & 63) == 0 && monotonic_now() > deadline)
            throw TimeUp();
    }
};

/* Hands each candidate's stored data to the C decider of xsh_search_opts. */
struct CDecider : public Xapian::MatchDecider {
    const xsh_search_opts *o;
    explicit CDecider(const xsh_search_opts *opts) : o(opts) {}
    bool operator()(const Xapian::Document &doc) const
    {
        std::string d = doc.get_data();
        return o->accept(o->accept_ctx, d.data(), d.size()) != 0;
    }
};
} // namespace

} /* extern "C" */

/* The query of node n with every wildcard replaced by the synonym of the
 * terms it expands to in db.  Xapian 1.4 expands a wildcard shard by
 * shard and weighs its terms with the first shard's frequencies alone,
 * so a database of shards would score it unlike one database; spelt
 * out, its terms get the statistics of the whole. */
static bool has_wildcard(const XNode &n)
{
    if (n.kind == XNode::WILDCARD)
        return true;
    for (const XNodeP &c : n.subs)
        if (has_wildcard(*c))
            return true;
    return false;
}

static Xapian::Query spell_out(const XNode &n, const Xapian::Database &db)
{
    if (!has_wildcard(n))
        return n.q;
    if (n.kind == XNode::WILDCARD) {
        std::vector<std::string> terms;
        for (Xapian::TermIterator t = db.allterms_begin(n.term); t != db.allterms_end(n.term); ++t) {
            terms.push_back(*t);
            if (n.max_expansion && terms.size() > n.max_expansion)
                throw Xapian::WildcardError("Wildcard " + n.term + "* expands to more than " +
                                            std::to_string(n.max_expansion) + " terms");
        }
        if (terms.empty())
            return Xapian::Query();
        return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
    }
    if (n.kind == XNode::SCALE)
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, spell_out(*n.subs[0], db), n.factor);
    std::vector<Xapian::Query> v;
    for (const XNodeP &c : n.subs)
        v.push_back(spell_out(*c, db));
    Xapian::Query::op xop = Xapian::Query::OP_AND;
    to_xop(n.op, &xop);
    if (v.size() == 1)
        return v[0];
    return branch_query(n.op, xop, v, n.window);
}

/* Set up m->enq for query x as o says, without decider or collapse (the
 * caller adds those it lets Xapian run). */
static void setup_enquire(xsh_mset *m, const Xapian::Query &x, const xsh_search_opts *o,
                          bool with_keymaker)
{
    m->enq.set_query(x);
    if (o->bool_only)
        m->enq.set_weighting_scheme(Xapian::BoolWeight());
    else
        m->enq.set_weighting_scheme(
            Xapian::BM25Weight(o->bm25_k1, BM25_K2, BM25_K3, o->bm25_b, BM25_MIN_NORMLEN));
    if (o->sort != XSH_SORT_RELEVANCE && o->sort != XSH_SORT_RELEVANCE_THEN_VALUE &&
        (o->sort_missing_last || o->then_slot >= 0) && with_keymaker) {
        /* An empty value takes "\xff" ascending; reversed, Xapian's
         * key for an empty value sorts after every other. */
        m->keymaker.reset(new Xapian::MultiValueKeyMaker());
        bool rev = o->sort == XSH_SORT_VALUE_DESC;
        if (o->sort_missing_last)
            m->keymaker->add_value(o->sort_slot, rev, rev ? std::string() : std::string("\xff"));
        else
            m->keymaker->add_value(o->sort_slot, rev);
        if (o->then_slot >= 0)
            m->keymaker->add_value(static_cast<Xapian::valueno>(o->then_slot), false);
        m->enq.set_sort_by_key_then_relevance(m->keymaker.get(), false);
    } else if (o->sort == XSH_SORT_VALUE_ASC) {
        m->enq.set_sort_by_value_then_relevance(o->sort_slot, false);
    } else if (o->sort == XSH_SORT_VALUE_DESC) {
        m->enq.set_sort_by_value_then_relevance(o->sort_slot, true);
    } else if (o->sort == XSH_SORT_RELEVANCE_THEN_VALUE) {
        m->enq.set_sort_by_relevance_then_value(o->sort_slot, false);
    }
}

/* get_mset() with the decider and sort key run here, over the candidates
 * the (remote) shards return in order, a page at a time: the same hits,
 * counts and facets as Xapian's matcher gives with them locally. */
static void emulate(xsh_mset *m, const Xapian::Query &x, const xsh_search_opts *o)
{
    m->emulated = true;
    m->first = o->offset;
    m->facets_on = o->facet_slot >= 0;
    /* The candidates come in parts, each in an order the servers can
     * give.  Documents without a value sort first ascending: with
     * sort_missing_last they are a part of their own, after the others.
     * With then_slot, each value of sort_slot among the matches (a match
     * spy lists them) is a part sorted by then_slot alone. */
    std::vector<Xapian::Query> parts;
    bool value_sort = o->sort == XSH_SORT_VALUE_ASC || o->sort == XSH_SORT_VALUE_DESC;
    bool by_then = value_sort && o->then_slot >= 0;
    bool split = value_sort && (o->sort_missing_last || by_then);
    Xapian::Query has(Xapian::Query::OP_VALUE_GE, o->sort_slot, std::string(1, '\0'));
    Xapian::Query none(Xapian::Query::OP_AND_NOT, x, has);
    bool none_first = !o->sort_missing_last && o->sort == XSH_SORT_VALUE_ASC;
    if (split && none_first)
        parts.push_back(none);
    if (by_then) {
        Xapian::Enquire e(m->db);
        e.set_query(x);
        Xapian::ValueCountMatchSpy spy(o->sort_slot);
        e.add_matchspy(&spy);
        e.get_mset(0, 0, m->db.get_doccount());
        std::vector<std::string> vals;
        for (Xapian::TermIterator v = spy.values_begin(); v != spy.values_end(); ++v)
            vals.push_back(*v);
        if (o->sort == XSH_SORT_VALUE_DESC)
            std::reverse(vals.begin(), vals.end());
        for (const std::string &v : vals)
            parts.push_back(Xapian::Query(
                Xapian::Query::OP_FILTER, x,
                Xapian::Query(Xapian::Query::OP_VALUE_RANGE, o->sort_slot, v, v)));
    } else if (split) {
        parts.push_back(Xapian::Query(Xapian::Query::OP_FILTER, x, has));
    } else {
        parts.push_back(x);
    }
    if (split && !none_first)
        parts.push_back(none);
    Xapian::doccount want = o->offset + o->count;
    Xapian::doccount enough = want > o->check_at_least ? want : o->check_at_least;
    Xapian::doccount accepted = 0, rest_est = 0, rest_upper = 0;
    std::map<std::string, size_t> seen; /* collapse value -> index in hits, or SIZE_MAX */
    bool done = false;
    for (size_t p = 0; p < parts.size() && !done; p++) {
        setup_enquire(m, parts[p], o, false);
        if (by_then)
            m->enq.set_sort_by_value(static_cast<Xapian::valueno>(o->then_slot), false);
        Xapian::doccount pos = 0, page = enough < 50 ? 100 : enough * 2;
        for (;;) {
            Xapian::MSet ms = m->enq.get_mset(pos, page);
            if (pos == 0) /* Xapian 1.4.22 crashes fetching a later page */
                ms.fetch();
            m->mset = ms;
            for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
                Xapian::Document doc = it.get_document();
                if (o->accept) {
                    std::string d = doc.get_data();
                    if (!o->accept(o->accept_ctx, d.data(), d.size()))
                        continue;
                }
                if (o->facet_slot >= 0) {
                    std::string v = doc.get_value(static_cast<Xapian::valueno>(o->facet_slot));
                    if (!v.empty())
                        m->facets[v]++;
                }
                if (o->collapse_slot >= 0) {
                    std::string k = doc.get_value(static_cast<Xapian::valueno>(o->collapse_slot));
                    if (!k.empty()) {
                        auto f = seen.find(k);
                        if (f != seen.end()) {
                            if (f->second != SIZE_MAX)
                                m->hits[f->second].collapse_count++;
                            continue;
                        }
                        seen[k] = accepted >= o->offset && m->hits.size() < o->count
                                      ? m->hits.size()
                                      : SIZE_MAX;
                    }
                }
                if (accepted >= o->offset && m->hits.size() < o->count)
                    m->hits.push_back({*it, it.get_weight(), 0});
                accepted++;
            }
            pos += ms.size();
            bool last = ms.size() < page;
            if (accepted >= enough && o->check_at_least <= accepted) {
                /* what is left is estimated as the accepted share of it */
                Xapian::doccount left_u = ms.get_matches_upper_bound() > pos
                                              ? ms.get_matches_upper_bound() - pos
                                              : 0;
                Xapian::doccount left_e = ms.get_matches_estimated() > pos
                                              ? ms.get_matches_estimated() - pos
                                              : 0;
                rest_upper += left_u;
                rest_est += static_cast<Xapian::doccount>(double(left_e) * accepted / pos + 0.5);
                done = true;
                break;
            }
            if (last)
                break;
            page *= 2;
        }
    }
    if (done && parts.size() > 1) {
        /* the parts not looked at: an estimate of what they hold */
        Xapian::Enquire e(m->db);
        e.set_query(x);
        Xapian::MSet all = e.get_mset(0, 0);
        Xapian::doccount seen_est = accepted + rest_est, seen_up = accepted + rest_upper;
        if (all.get_matches_upper_bound() > seen_up)
            rest_upper = all.get_matches_upper_bound() - accepted;
        if (all.get_matches_estimated() > seen_est)
            rest_est = all.get_matches_estimated() - accepted;
    }
    m->lower = accepted;
    m->estimated = accepted + rest_est;
    m->upper = accepted + rest_upper;
}

extern "C" {

cl_status xsh_search(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, xsh_mset **out,
                     char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (check_db(db, err))
        return CL_INVALID;
    if (!q)
        return fail(err, CL_INVALID, "NULL query");
    xsh_search_opts defaults;
    if (!o) {
        xsh_search_opts_init(&defaults);
        o = &defaults;
    }
    if (o->sort != XSH_SORT_RELEVANCE && o->sort != XSH_SORT_VALUE_ASC &&
        o->sort != XSH_SORT_VALUE_DESC && o->sort != XSH_SORT_RELEVANCE_THEN_VALUE)
        return fail(err, CL_INVALID, "unknown sort order");
    /* With partial set, a shard that stops answering is left out and the
     * search run again on the others. */
    for (;;) {
        xsh_mset *m = NULL;
        try {
            m = new xsh_mset(*db->db);
            Xapian::Query x = spell_out(*q->node, *db->db);
            m->node = q->node;
            m->k1 = o->bm25_k1;
            m->b = o->bm25_b;
            m->bool_only = o->bool_only != 0;
            bool value_sort = o->sort == XSH_SORT_VALUE_ASC || o->sort == XSH_SORT_VALUE_DESC;
            if (db->has_remote &&
                (o->accept ||
                 ((o->sort_missing_last || o->then_slot >= 0) && value_sort && o->count))) {
                emulate(m, x, o);
            } else {
                setup_enquire(m, x, o, true);
                if (o->collapse_slot >= 0)
                    m->enq.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot));
                if (o->facet_slot >= 0) {
                    m->spy.reset(
                        new Xapian::ValueCountMatchSpy(static_cast<Xapian::valueno>(o->facet_slot)));
                    m->enq.add_matchspy(m->spy.get());
                }
                /* A spy of our own cannot travel to a remote server: there
                 * the remote timeout bounds a match instead. */
                if (o->time_limit > 0 && !db->has_remote) {
                    m->timer.reset(new Timer(o->time_limit));
                    m->enq.add_matchspy(m->timer.get());
                }
                if (o->accept) {
                    CDecider decider(o);
                    m->mset =
                        m->enq.get_mset(o->offset, o->count, o->check_at_least, NULL, &decider);
                } else {
                    m->mset = m->enq.get_mset(o->offset, o->count, o->check_at_least);
                }
                /* Round trips cost over a network: ask for all the hits'
                 * documents at once. */
                /* Xapian 1.4.22 crashes fetching a page after the first
                 * (MSet::fetch with first > 0) from a remote shard. */
                if (db->has_remote && m->mset.size() && o->offset == 0) {
                    m->mset.fetch();
                    m->fetched = true;
                }
            }
            *out = m;
            return CL_OK;
        } catch (const TimeUp &) {
            delete m;
            return fail(err, CL_INTERRUPTED, "time limit reached");
        } catch (...) {
            delete m;
            if (!db->partial || !db->has_remote)
                return fail_db(db, err);
            cl_status st;
            std::string msg = current_message(&st);
            if (dead_shards(db->shards, true, msg).empty()) {
                set_err(err, msg.c_str());
                return st;
            }
            bool live = false;
            for (const XShard &s : db->shards)
                live = live || !s.missing;
            if (!live) {
                set_err(err, ("no shard answers: " + msg).c_str());
                return CL_IO;
            }
            try {
                join_shards(db);
            } catch (...) {
                return fail_current(err);
            }
        }
    }
}

cl_status xsh_compact(const char *const *srcs, size_t n, const char *dest, char **err)
{
    if (!srcs || !n || !dest)
        return fail(err, CL_INVALID, "nothing to compact");
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) all.add_database(Xapian::Database(srcs[i]));
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

namespace {
/* Expand only with plain words: prefixed terms are filters. */
struct NoPrefixed : public Xapian::ExpandDecider {
    bool operator()(const std::string &term) const
    {
        return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
    }
};
} // namespace

cl_status xsh_expand(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, unsigned fb_docs,
                     unsigned n_terms, xsh_match_cb cb, void *ctx, char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!q || !cb)
        return fail(err, CL_INVALID, "NULL query or callback");
    xsh_search_opts defaults;
    if (!o) {
        xsh_search_opts_init(&defaults);
        o = &defaults;
    }
    try {
        Xapian::Enquire enq(*db->db);
        enq.set_query(spell_out(*q->node, *db->db));
        enq.set_weighting_scheme(
            Xapian::BM25Weight(o->bm25_k1, BM25_K2, BM25_K3, o->bm25_b, BM25_MIN_NORMLEN));
        if (o->sort == XSH_SORT_RELEVANCE_THEN_VALUE)
            enq.set_sort_by_relevance_then_value(o->sort_slot, false);
        Xapian::MSet top = enq.get_mset(0, fb_docs);
        Xapian::RSet rset;
        for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
        if (rset.empty())
            return CL_OK;
        NoPrefixed decider;
        /* Exact term frequencies: over shards, Xapian would otherwise
         * scale up those of the shards the feedback documents are in. */
        Xapian::ESet eset =
            enq.get_eset(n_terms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) {
            std::string t = *it;
            if (cb(ctx, t.data(), t.size(), it.get_weight(), 0))
                return CL_INTERRUPTED;
        }
        return CL_OK;
    } catch (...) {
        return fail_db(db, err);
    }
}

void xsh_mset_free(xsh_mset *m)
{
    delete m;
}

unsigned xsh_mset_size(const xsh_mset *m)
{
    return m ? (m->emulated ? static_cast<unsigned>(m->hits.size()) : m->mset.size()) : 0;
}

void xsh_mset_counts(const xsh_mset *m, unsigned *lower, unsigned *estimated, unsigned *upper)
{
    unsigned l = 0, e = 0, u = 0;
    if (m) {
        try {
            l = m->emulated ? m->lower : m->mset.get_matches_lower_bound();
            e = m->emulated ? m->estimated : m->mset.get_matches_estimated();
            u = m->emulated ? m->upper : m->mset.get_matches_upper_bound();
        } catch (...) {
        }
    }
    if (lower)
        *lower = l;
    if (estimated)
        *estimated = e;
    if (upper)
        *upper = u;
}

static cl_status check_hit(const xsh_mset *m, unsigned i, char **err)
{
    if (!m)
        return fail(err, CL_INVALID, "NULL mset");
    if (i >= xsh_mset_size(m))
        return fail(err, CL_INVALID, "hit index out of range");
    return CL_OK;
}

/* Hit i's document, read from the database rather than through the MSet,
 * which would keep every document it hands out until it is freed. */
static Xapian::docid docid_of_hit(const xsh_mset *m, unsigned i)
{
    return m->emulated ? m->hits[i].did : *m->mset[i];
}

static Xapian::Document doc_of_hit(const xsh_mset *m, unsigned i)
{
    if (m->fetched)
        return m->mset[i].get_document();
    return m->db.get_document(docid_of_hit(m, i));
}

cl_status xsh_mset_hit(const xsh_mset *m, unsigned i, xsh_hit *hit, char **err)
{
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!hit)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        if (m->emulated) {
            hit->docid = m->hits[i].did;
            hit->rank = m->first + i;
            hit->score = m->hits[i].wt;
            hit->collapse_count = m->hits[i].collapse_count;
            return CL_OK;
        }
        Xapian::MSetIterator it = m->mset[i];
        hit->docid = *it;
        hit->rank = it.get_rank();
        hit->score = it.get_weight();
        hit->collapse_count = it.get_collapse_count();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_data(xsh_mset *m, unsigned i, const char **data, size_t *len, char **err)
{
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!data || !len)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        m->buf = doc_of_hit(m, i).get_data();
        *data = m->buf.data();
        *len = m->buf.size();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_value(xsh_mset *m, unsigned i, unsigned slot, const char **val, size_t *len,
                         char **err)
{
    if (val)
        *val = NULL;
    if (len)
        *len = 0;
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!val || !len)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        m->buf = doc_of_hit(m, i).get_value(slot);
        *val = m->buf.data();
        *len = m->buf.size();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_matching_terms(xsh_mset *m, unsigned i, xsh_match_cb cb, void *ctx,
                                  char **err)
{
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    try {
        Xapian::docid did = docid_of_hit(m, i);
        for (Xapian::TermIterator t = m->enq.get_matching_terms_begin(did);
             t != m->enq.get_matching_terms_end(did); ++t) {
            const std::string term = *t;
            double w = m->mset.get_termweight(term);
            unsigned tf = m->mset.get_termfreq(term);
            if (cb(ctx, term.data(), term.size(), w, tf))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_termlist(xsh_mset *m, unsigned i, xsh_wdf_cb cb, void *ctx, char **err)
{
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    try {
        Xapian::docid id = *m->mset[i];
        for (Xapian::TermIterator t = m->db.termlist_begin(id); t != m->db.termlist_end(id); ++t) {
            const std::string term = *t;
            Xapian::termcount wdf = t.get_wdf();
            if (!wdf || (term[0] >= 'A' && term[0] <= 'Z'))
                continue;
            if (cb(ctx, term.data(), term.size(), wdf, t.get_termfreq()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_facets(const xsh_mset *m, xsh_term_cb cb, void *ctx, char **err)
{
    if (!m)
        return fail(err, CL_INVALID, "NULL mset");
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (!m->spy && !m->facets_on)
        return fail(err, CL_INVALID, "search had no facet slot");
    try {
        if (m->emulated) {
            for (const auto &f : m->facets)
                if (cb(ctx, f.first.data(), f.first.size(), f.second))
                    return fail(err, CL_INTERRUPTED, "stopped by the callback");
            return CL_OK;
        }
        for (Xapian::TermIterator v = m->spy->values_begin(); v != m->spy->values_end(); ++v) {
            const std::string value = *v;
            if (cb(ctx, value.data(), value.size(), v.get_termfreq()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}


/* ---- explaining a score ------------------------------------------------- */

namespace {
/* Exactly one document: what a subquery is filtered by to ask Xapian
 * whether it matches that document. */
class OneDoc : public Xapian::PostingSource {
    Xapian::docid did;
    bool started = false, ended = false;

  public:
    explicit OneDoc(Xapian::docid d) : did(d) {}
    Xapian::doccount get_termfreq_min() const { return 1; }
    Xapian::doccount get_termfreq_est() const { return 1; }
    Xapian::doccount get_termfreq_max() const { return 1; }
    void init(const Xapian::Database &) { started = ended = false; }
    void next(double)
    {
        if (started)
            ended = true;
        started = true;
    }
    void skip_to(Xapian::docid d, double)
    {
        started = true;
        if (d > did)
            ended = true;
    }
    bool at_end() const { return ended; }
    Xapian::docid get_docid() const { return did; }
    OneDoc *clone() const { return new OneDoc(did); }
};

/* Xapian 1.4's estimate of how many documents an OR of postlists with
 * these term frequencies matches, as OrContext::postlist() builds it: a
 * Huffman-like tree joining the two least frequent first, each join
 * l + r - l.r/N rounded to a whole number (OrPostList). */
Xapian::doccount or_estimate(std::vector<Xapian::doccount> tfs, Xapian::doccount N)
{
    if (tfs.empty())
        return 0;
    std::greater<Xapian::doccount> cmp; /* a min-heap, as Xapian's */
    std::make_heap(tfs.begin(), tfs.end(), cmp);
    while (tfs.size() > 1) {
        std::pop_heap(tfs.begin(), tfs.end(), cmp);
        double r = tfs.back();
        tfs.pop_back();
        std::pop_heap(tfs.begin(), tfs.end(), cmp);
        double l = tfs.back();
        tfs.back() = static_cast<Xapian::doccount>(l + r - (l * r / N) + 0.5);
        std::push_heap(tfs.begin(), tfs.end(), cmp);
    }
    return tfs[0];
}

bool starts_with(const std::string &s, const std::string &p)
{
    return s.compare(0, p.size(), p) == 0;
}

/* Works out a hit's score as Xapian 1.4's BM25Weight does (see
 * xapian-core/weight/bm25weight.cc), one contribution per weighted leaf
 * of the query that the document matches. */
struct Explainer {
    xsh_mset *m;
    Xapian::docid did;
    Xapian::doccount N;
    double len_factor;
    Xapian::termcount doclen;
    std::map<std::string, Xapian::termcount> wdf; /* the document's terms */
    xsh_explain_cb cb;
    void *ctx;
    bool stopped = false;

    /* BM25Weight::init(): the part of the weight that does not depend on
     * the document; *idf receives log(tw). */
    double termweight(Xapian::doccount tf, Xapian::termcount wqf, double factor, double *idf) const
    {
        double tw = (N - tf + 0.5) / (tf + 0.5);
        if (tw < 2)
            tw = tw * 0.5 + 1;
        *idf = std::log(tw);
        double w = std::log(tw) * factor;
        double wqf_double = wqf;
        w *= (BM25_K3 + 1) * wqf_double / (BM25_K3 + wqf_double);
        w *= (m->k1 + 1);
        return w;
    }

    /* BM25Weight::get_sumpart() */
    double sumpart(double termweight, Xapian::termcount wdf_) const
    {
        double normlen = std::max(doclen * len_factor, BM25_MIN_NORMLEN);
        double wdf_double = wdf_;
        double denom = m->k1 * (normlen * m->b + (1 - m->b)) + wdf_double;
        return termweight * (wdf_double / denom);
    }

    void emit(const std::string &label, Xapian::termcount w, Xapian::doccount tf,
              Xapian::termcount wqf, double factor, double idf, double weight, int exact)
    {
        if (stopped)
            return;
        xsh_explain e;
        e.term = label.data();
        e.len = label.size();
        e.wdf = w;
        e.doclen = doclen;
        e.termfreq = tf;
        e.wqf = wqf;
        e.scale = factor;
        e.idf = idf;
        e.weight = weight;
        e.exact = exact;
        if (cb(ctx, &e))
            stopped = true;
    }

    Xapian::termcount wdf_of(const std::string &t) const
    {
        auto it = wdf.find(t);
        return it == wdf.end() ? 0 : it->second;
    }

    bool has(const std::string &t) const { return t.empty() || wdf.count(t) != 0; }

    /* The sum of the wdfs of the document's terms starting with prefix,
     * and whether it has any. */
    bool prefix_wdf(const std::string &prefix, Xapian::termcount *sum) const
    {
        bool any = false;
        for (auto it = wdf.lower_bound(prefix); it != wdf.end() && starts_with(it->first, prefix);
             ++it) {
            *sum += it->second;
            any = true;
        }
        return any;
    }

    /* Does Xapian match n against the document?  Asked of Xapian itself
     * for what needs positions or values. */
    bool matches(const XNode &n)
    {
        Xapian::termcount ignored = 0;
        switch (n.kind) {
        case XNode::TERM: return has(n.term);
        case XNode::ALL: return true;
        case XNode::NOTHING: return false;
        case XNode::WILDCARD: return prefix_wdf(n.term, &ignored);
        case XNode::SCALE: return matches(*n.subs[0]);
        case XNode::VALUE: return xapian_matches(n);
        case XNode::BRANCH: break;
        }
        switch (n.op) {
        case XSH_AND:
        case XSH_FILTER:
            for (auto &c : n.subs)
                if (!matches(*c))
                    return false;
            return true;
        case XSH_OR:
        case XSH_SYNONYM:
            for (auto &c : n.subs)
                if (matches(*c))
                    return true;
            return false;
        case XSH_AND_NOT:
            if (!matches(*n.subs[0]))
                return false;
            for (size_t i = 1; i < n.subs.size(); i++)
                if (matches(*n.subs[i]))
                    return false;
            return true;
        case XSH_AND_MAYBE: return matches(*n.subs[0]);
        default: return xapian_matches(n); /* PHRASE, NEAR */
        }
    }

    Xapian::Enquire one_doc(const Xapian::Query &q) const
    {
        Xapian::Enquire enq(m->db);
        Xapian::Query only((new OneDoc(did))->release());
        enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, only));
        return enq;
    }

    bool xapian_matches(const XNode &n) const
    {
        Xapian::Enquire enq = one_doc(n.q);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        return enq.get_mset(0, 1).size() > 0;
    }

    /* The weight Xapian gives n (scaled by factor) on the document: for
     * a group the shim does not model. */
    double xapian_weight(const XNode &n, double factor) const
    {
        Xapian::Enquire enq = one_doc(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, n.q, factor));
        enq.set_weighting_scheme(Xapian::BM25Weight(m->k1, BM25_K2, BM25_K3, m->b, BM25_MIN_NORMLEN));
        Xapian::MSet ms = enq.get_mset(0, 1);
        return ms.empty() ? 0.0 : ms.begin().get_weight();
    }

    /* The term frequencies of the OR-tree elements a synonym member adds
     * (QueryBranch::do_synonym: members are opened unweighted and OR'ed);
     * false for members whose estimate is not modelled here. */
    bool members(const XNode &n, std::vector<Xapian::doccount> *tfs)
    {
        switch (n.kind) {
        case XNode::TERM:
            tfs->push_back(n.term.empty() ? N : m->db.get_termfreq(n.term));
            return true;
        case XNode::WILDCARD:
            tfs->push_back(group_tf(n));
            return true;
        case XNode::BRANCH:
            if (n.op == XSH_OR) { /* flattened into the same OR */
                for (auto &c : n.subs)
                    if (!members(*c, tfs))
                        return false;
                return true;
            }
            if (n.op == XSH_SYNONYM) { /* its own OR tree, one element */
                Xapian::doccount tf = group_tf(n);
                if (tf == Xapian::doccount(-1))
                    return false;
                tfs->push_back(tf);
                return true;
            }
            return false;
        default: return false;
        }
    }

    /* The estimated termfreq of a wildcard (every indexed term with its
     * prefix) or a synonym group, as Xapian estimates it; cached in m. */
    Xapian::doccount group_tf(const XNode &n)
    {
        auto it = m->group_tf.find(&n);
        if (it != m->group_tf.end())
            return it->second;
        std::vector<Xapian::doccount> tfs;
        Xapian::doccount est = 0;
        if (n.kind == XNode::WILDCARD) {
            for (Xapian::TermIterator t = m->db.allterms_begin(n.term);
                 t != m->db.allterms_end(n.term); ++t)
                tfs.push_back(t.get_termfreq());
            est = or_estimate(tfs, N);
        } else {
            bool ok = true;
            for (auto &c : n.subs)
                if (c->kind != XNode::NOTHING && !members(*c, &tfs))
                    ok = false;
            est = ok ? or_estimate(tfs, N) : Xapian::doccount(-1);
        }
        m->group_tf[&n] = est;
        return est;
    }

    /* The wdf of a synonym group: the sum of its members' (OrPostList). */
    Xapian::termcount group_wdf(const XNode &n)
    {
        Xapian::termcount sum = 0;
        switch (n.kind) {
        case XNode::TERM: return wdf_of(n.term);
        case XNode::WILDCARD: prefix_wdf(n.term, &sum); return sum;
        case XNode::BRANCH:
            for (auto &c : n.subs)
                sum += group_wdf(*c);
            return sum;
        default: return 0;
        }
    }

    std::string group_label(const XNode &n) const
    {
        switch (n.kind) {
        case XNode::TERM: return n.term;
        case XNode::WILDCARD: return n.term + "*";
        case XNode::BRANCH: {
            std::string l = "(";
            for (size_t i = 0; i < n.subs.size(); i++) {
                if (i)
                    l += n.op == XSH_SYNONYM ? " | " : " OR ";
                l += group_label(*n.subs[i]);
            }
            return l + ")";
        }
        default: return "(...)";
        }
    }

    /* A wildcard or synonym group: one "virtual term" with wqf 1, the sum
     * of its members' wdfs (at most the document length) and Xapian's
     * estimate of its termfreq (LocalSubMatch::make_synonym_postlist). */
    void group(const XNode &n, double factor)
    {
        Xapian::doccount tf = group_tf(n);
        if (tf == Xapian::doccount(-1)) {
            emit(group_label(n), 0, 0, 1, factor, 0, xapian_weight(n, factor), 0);
            return;
        }
        Xapian::termcount w = std::min(group_wdf(n), doclen);
        double idf;
        double tw = termweight(tf, 1, factor, &idf);
        emit(group_label(n), w, tf, 1, factor, idf, sumpart(tw, w), 1);
    }

    /* The contributions of n, which matches the document, with the weight
     * factor Xapian passes down to it (QueryScaleWeight multiplies it,
     * the unweighted sides of FILTER and AND_NOT get 0). */
    void walk(const XNode &n, double factor)
    {
        if (factor == 0.0 || stopped)
            return;
        switch (n.kind) {
        case XNode::TERM:
            if (!n.term.empty()) {
                Xapian::doccount tf = m->db.get_termfreq(n.term);
                Xapian::termcount w = wdf_of(n.term);
                double idf;
                double tw = termweight(tf, n.wqf, factor, &idf);
                emit(n.term, w, tf, n.wqf, factor, idf, sumpart(tw, w), 1);
            }
            return;
        case XNode::SCALE: walk(*n.subs[0], factor * n.factor); return;
        case XNode::WILDCARD: group(n, factor); return;
        case XNode::BRANCH: break;
        default: return;
        }
        switch (n.op) {
        case XSH_FILTER:
        case XSH_AND_NOT: walk(*n.subs[0], factor); return;
        case XSH_SYNONYM: group(n, factor); return;
        case XSH_OR:
        case XSH_AND_MAYBE:
            for (size_t i = 0; i < n.subs.size(); i++)
                if ((i == 0 && n.op == XSH_AND_MAYBE) || matches(*n.subs[i]))
                    walk(*n.subs[i], factor);
            return;
        default: /* AND, PHRASE, NEAR: every member matches */
            for (auto &c : n.subs)
                walk(*c, factor);
            return;
        }
    }
};
} // namespace

cl_status xsh_mset_explain(xsh_mset *m, unsigned i, xsh_explain_cb cb, void *ctx, char **err)
{
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (!m->node || m->bool_only)
        return CL_OK; /* unranked: nothing weighs */
    try {
        Explainer x;
        x.m = m;
        x.did = docid_of_hit(m, i);
        x.cb = cb;
        x.ctx = ctx;
        x.N = m->db.get_doccount();
        /* Weight::Internal::get_average_length(), and BM25Weight::init()'s
         * len_factor */
        double avg = x.N ? Xapian::doclength(m->db.get_total_length()) / x.N : 0;
        x.len_factor = (BM25_K2 == 0 && (m->b == 0 || m->k1 == 0)) ? 0 : avg != 0 ? 1 / avg : 0;
        x.doclen = m->db.get_doclength(x.did);
        for (Xapian::TermIterator t = m->db.termlist_begin(x.did); t != m->db.termlist_end(x.did);
             ++t)
            x.wdf[*t] = t.get_wdf();
        x.walk(*m->node, 1.0);
        return x.stopped ? fail(err, CL_INTERRUPTED, "stopped by the callback") : CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

} /* extern "C" */
