/* The training loop, evaluation and run files (see train.h). */
#include "train/train.h"
#include "automata/atomic-file.h"
#include "automata/error.h"
#include "automata/json-util.h"
#include "automata/npy.h"
#include "automata/progress.h"
#include "automata/rng.h"
#include "automata/safetensors.h"
#include "generators/dataset-read.h"
#include "train/model-private.h"
#include "train/plot-private.h"
#include "automata/alphabet.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

void lk_train_options_resolve(LkTrainOptions *o)
{
    g_return_if_fail(o != NULL);
    if (!o->dim) o->dim = o->arch == LK_TRAIN_DIAGONAL ? 10 : 32;
    if (!o->state) o->state = 16;
    if (!o->heads) o->heads = 1;
    if (!o->layers) o->layers = 1;
    if (!o->steps) o->steps = 20000;
    if (!o->batch) o->batch = 256;
    if (!o->lr) o->lr = 1e-3;
    if (!o->min_lr) o->min_lr = 1e-6;
    if (!o->warmup) o->warmup = o->steps / 10;
    if (!o->threads) o->threads = 1;
    if (!o->eval_every) o->eval_every = o->steps / 20 ? o->steps / 20 : 1;
    if (!o->log_every) o->log_every = 100;
    if (!o->bucket) o->bucket = 16;
}

/* The paper's schedule (experiments/lr_scheduler.py of its code): the rate of step s (0-based). */
static double rate(const LkTrainOptions *o, uint64_t s)
{
    if (s < o->warmup) return o->lr * (double)s / (double)o->warmup;
    if (s >= o->steps) return o->min_lr;
    const double r = (double)(s - o->warmup) / (double)(o->steps - o->warmup);
    return o->min_lr + 0.5 * (1 + cos(M_PI * r)) * (o->lr - o->min_lr);
}

static double normal(LkRng *r)
{
    const double u1 = 1.0 - lk_rng_double(r), u2 = lk_rng_double(r);
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* PyTorch's default initialization of a Linear layer's weight (or bias):
 * uniform in +-1/sqrt(fan_in), here divided by div. */
static void linear_init(LkRng *r, double *w, size_t n, uint64_t fan_in, double div)
{
    const double bound = 1 / sqrt((double)fan_in);
    for (size_t i = 0; i < n; i++) w[i] = (2 * lk_rng_double(r) - 1) * bound / div;
}

static void mlp_init(LkRng *r, const LkNet *s, const LkLayer *L, double *p)
{
    linear_init(r, p + L->w1, (size_t)s->M * s->D, s->D, 1);
    linear_init(r, p + L->b1, s->M, s->D, 1);
    linear_init(r, p + L->w2, (size_t)s->D * s->M, s->M, 1);
    linear_init(r, p + L->b2, s->D, s->M, 1);
}

/* The paper code's initialization: embedding and decoder N(0, sqrt(2 / 5D))
 * (0.2 at D = 10), norm scales 1, the linear maps PyTorch's default; the
 * diagonal model's recurrence weights (not biases) divided by sqrt(D). */
static void init_params(const LkNet *s, uint64_t seed, double *p)
{
    LkRng r;
    lk_rng_init_stream(&r, seed, 0x1417);
    const uint32_t D = s->D;
    const double sd = sqrt(2.0 / (5.0 * D));
    for (size_t i = 0; i < (size_t)s->V * D; i++) p[s->emb + i] = sd * normal(&r);
    for (uint32_t l = 0; l < s->layers; l++)
        for (uint32_t i = 0; i < D; i++) p[s->L[l].ln1 + i] = p[s->L[l].ln2 + i] = 1;
    if (s->arch != LK_TRAIN_DIAGONAL)
        for (uint32_t i = 0; i < D; i++) p[s->ln3 + i] = 1;
    if (s->arch == LK_TRAIN_DIAGONAL) {
        const size_t lin[2][2] = {{s->wa, s->ba}, {s->wb, s->bb}};
        for (int l = 0; l < 2; l++) {
            linear_init(&r, p + lin[l][0], (size_t)D * D, D, sqrt((double)D));
            linear_init(&r, p + lin[l][1], D, D, 1);
        }
    } else if (s->arch == LK_TRAIN_MAMBA) {
        /* Mamba's own choices: A = -(1, 2, ..., N) per channel (A_log = log n), a skip of 1, and
         * dt_proj's bias softplus^-1(dt) with dt log-uniform in [1e-3, 1e-1] */
        for (uint32_t i = 0; i < D; i++) p[s->dskip + i] = 1;
        const size_t sq[3] = {s->win, s->wdt, s->L[0].wo};
        for (int l = 0; l < 3; l++) linear_init(&r, p + sq[l], (size_t)D * D, D, 1);
        for (uint32_t i = 0; i < D; i++) {
            const double dt = exp(log(1e-3) + lk_rng_double(&r) * (log(1e-1) - log(1e-3)));
            p[s->bdt + i] = dt + log(-expm1(-dt));
            for (uint32_t n = 0; n < s->N; n++) p[s->alog + (size_t)i * s->N + n] = log(n + 1.0);
        }
        linear_init(&r, p + s->wB, (size_t)s->N * D, D, 1);
        linear_init(&r, p + s->wC, (size_t)s->N * D, D, 1);
        mlp_init(&r, s, &s->L[0], p);
    } else {
        for (uint32_t l = 0; l < s->layers; l++) {
            const LkLayer *L = &s->L[l];
            const size_t sq[4] = {L->wq, L->wk, L->wv, L->wo};
            for (int i = 0; i < 4; i++) linear_init(&r, p + sq[i], (size_t)D * D, D, 1);
            linear_init(&r, p + L->wbeta, (size_t)s->H * D, D, 1);
            mlp_init(&r, s, L, p);
        }
    }
    for (size_t i = 0; i < (size_t)s->C * D; i++) p[s->dec + i] = sd * normal(&r);
}

/* ---- the state of a run ---- */

typedef struct Run Run;

typedef struct {
    Run *run;
    uint32_t id;
    uint64_t lo, hi;     /* examples (indices into idx, or eval examples) */
    const uint64_t *idx; /* training: the batch's example indices; NULL: eval */
    const LkExamples *ex;
    int32_t *pred; /* eval predictions */
    double loss;
    void *gp, *gt, *ws; /* per-thread gradients and workspace */
} Part;

struct Run {
    const LkTrainOptions *o;
    const LkDataset *ds;
    LkNet shape;
    const LkNetKernels *k;
    const LkRealOps *ops;
    void *p, *m, *v, *g, *gt, *tab; /* parameters, Adam moments, gradients, token table */
    double inv_n;
    uint32_t max_len;
    Part *parts;
    GThreadPool *pool;
    GMutex lock;
    GCond done_cond;
    uint32_t pending;
};

static void part_run(Part *t)
{
    Run *r = t->run;
    const bool prefix = r->ds->prefix_labels;
    const LkExamples *e = t->ex;
    const size_t rs = r->k->real_size;
    if (t->gp) {
        memset(t->gp, 0, r->shape.n_params * rs);
        memset(t->gt, 0, (size_t)r->shape.V * r->shape.gt * rs);
    }
    t->loss = 0;
    for (uint64_t j = t->lo; j < t->hi; j++) {
        const uint64_t i = t->idx ? t->idx[j] : j;
        const uint32_t T = (uint32_t)(e->offset[i + 1] - e->offset[i]);
        const int32_t *lab = prefix ? e->labels + e->offset[i] : e->labels + i;
        int32_t *pred = !t->pred ? NULL : prefix ? t->pred + e->offset[i] : t->pred + i;
        if (T == 0) continue; /* no position to label */
        t->loss += r->k->example(&r->shape, r->p, r->tab, e->tokens + e->offset[i], T, lab, prefix,
                                 r->ds->ignore_index, r->inv_n, pred, t->gp, t->gt, t->ws);
    }
}

static void worker(gpointer data, gpointer user)
{
    Part *t = data;
    part_run(t);
    Run *r = t->run;
    g_mutex_lock(&r->lock);
    if (--r->pending == 0) g_cond_signal(&r->done_cond);
    g_mutex_unlock(&r->lock);
}

/* Runs the parts (n examples split in order) on the threads and waits. */
static void run_parts(Run *r, uint64_t n)
{
    const uint32_t nt = r->o->threads;
    for (uint32_t i = 0; i < nt; i++)
        r->parts[i].lo = n * i / nt, r->parts[i].hi = n * (i + 1) / nt;
    if (nt == 1) {
        part_run(&r->parts[0]);
        return;
    }
    r->pending = nt;
    for (uint32_t i = 1; i < nt; i++) g_thread_pool_push(r->pool, &r->parts[i], NULL);
    part_run(&r->parts[0]);
    g_mutex_lock(&r->lock);
    r->pending--;
    while (r->pending) g_cond_wait(&r->done_cond, &r->lock);
    g_mutex_unlock(&r->lock);
}

/* Labels that count in examples idx[0..n) (all of e when idx is NULL). */
static uint64_t counted_labels(const Run *r, const LkExamples *e, const uint64_t *idx, uint64_t n)
{
    uint64_t c = 0;
    for (uint64_t j = 0; j < n; j++) {
        const uint64_t i = idx ? idx[j] : j;
        if (e->offset[i + 1] == e->offset[i]) continue;
        if (!r->ds->prefix_labels) {
            c++;
            continue;
        }
        for (uint64_t t = e->offset[i]; t < e->offset[i + 1]; t++)
            c += e->labels[t] != r->ds->ignore_index;
    }
    return c;
}

/* ---- evaluation ---- */

typedef struct {
    const char *name;
    LkExamples *ex;
    int32_t *pred;
    GArray *steps, *scaled; /* the curve over steps */
    LkScore last;
} EvalSplit;

static double scaled_acc(double acc, uint32_t classes)
{
    const double chance = 1.0 / classes;
    return (acc - chance) / (1 - chance);
}

static void eval_split(Run *r, EvalSplit *es, uint64_t step, GString *metrics)
{
    const LkExamples *e = es->ex;
    const uint64_t n = e->n;
    const size_t npred = r->ds->prefix_labels ? e->offset[n] : n;
    for (size_t i = 0; i < npred; i++) es->pred[i] = -1;
    r->inv_n = 1;
    for (uint32_t i = 0; i < r->o->threads; i++)
        r->parts[i].idx = NULL, r->parts[i].ex = e, r->parts[i].pred = es->pred,
        r->parts[i].gp = NULL;
    run_parts(r, n);
    double loss = 0;
    for (uint32_t i = 0; i < r->o->threads; i++) loss += r->parts[i].loss;
    lk_score_clear(&es->last);
    lk_score_examples(r->ds, e, es->pred, &es->last);
    const LkScore *sc = &es->last;
    const uint32_t C = r->shape.C;
    const double acc = sc->counted ? (double)sc->correct / (double)sc->counted : 0;
    g_array_append_val(es->steps, (double){(double)step});
    g_array_append_val(es->scaled, (double){scaled_acc(acc, C)});
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "step");
    json_builder_add_int_value(b, (gint64)step);
    json_builder_set_member_name(b, "split");
    json_builder_add_string_value(b, es->name);
    json_builder_set_member_name(b, "examples");
    json_builder_add_int_value(b, (gint64)n);
    json_builder_set_member_name(b, "loss");
    json_builder_add_double_value(b, sc->counted ? loss / (double)sc->counted : 0);
    json_builder_set_member_name(b, "accuracy");
    json_builder_add_double_value(b, acc);
    json_builder_set_member_name(b, "scaled_accuracy");
    json_builder_add_double_value(b, scaled_acc(acc, C));
    json_builder_set_member_name(b, "by_length");
    json_builder_begin_array(b);
    const uint32_t w = r->o->bucket;
    for (uint32_t lo = sc->min_len; sc->counted && lo <= sc->max_len; lo += w) {
        const uint32_t hi = MIN(sc->max_len, lo + w - 1);
        uint64_t cnt = 0, ok = 0;
        for (uint32_t l = lo; l <= hi; l++)
            cnt += sc->len_counted[l - sc->min_len], ok += sc->len_correct[l - sc->min_len];
        if (!cnt) continue;
        const double a = (double)ok / (double)cnt;
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "min_len");
        json_builder_add_int_value(b, lo);
        json_builder_set_member_name(b, "max_len");
        json_builder_add_int_value(b, hi);
        json_builder_set_member_name(b, "labels");
        json_builder_add_int_value(b, (gint64)cnt);
        json_builder_set_member_name(b, "accuracy");
        json_builder_add_double_value(b, a);
        json_builder_set_member_name(b, "scaled_accuracy");
        json_builder_add_double_value(b, scaled_acc(a, C));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    lk_json_builder_append_line(metrics, b);
}

/* ---- weights ---- */

static char *config_json(const Run *r)
{
    const LkTrainOptions *o = r->o;
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "model");
    json_builder_add_string_value(b, r->shape.arch == LK_TRAIN_DELTANET ? "deltanet"
                                     : r->shape.arch == LK_TRAIN_MAMBA  ? "mamba"
                                                                        : "diagonal");
    json_builder_set_member_name(b, "eig");
    json_builder_add_string_value(b, o->negative ? "11" : "01");
    json_builder_set_member_name(b, "dim");
    json_builder_add_int_value(b, r->shape.D);
    if (r->shape.arch == LK_TRAIN_DELTANET) {
        json_builder_set_member_name(b, "heads");
        json_builder_add_int_value(b, r->shape.H);
        json_builder_set_member_name(b, "layers");
        json_builder_add_int_value(b, r->shape.layers);
    }
    if (r->shape.arch == LK_TRAIN_MAMBA) {
        json_builder_set_member_name(b, "state");
        json_builder_add_int_value(b, r->shape.N);
    }
    json_builder_set_member_name(b, "tokens");
    json_builder_begin_array(b);
    for (uint32_t v = 0; v < lk_alphabet_size(r->ds->vocabulary); v++)
        json_builder_add_string_value(b, lk_alphabet_name(r->ds->vocabulary, v));
    json_builder_end_array(b);
    json_builder_set_member_name(b, "pad_token");
    json_builder_add_int_value(b, r->ds->pad_token);
    json_builder_set_member_name(b, "classes");
    json_builder_add_int_value(b, r->shape.C);
    json_builder_set_member_name(b, "task");
    json_builder_add_string_value(b, r->ds->task);
    json_builder_set_member_name(b, "options");
    json_builder_begin_object(b);
    const struct {
        const char *name;
        uint64_t v;
    } ints[] = {{"seed", o->seed},         {"steps", o->steps},     {"batch", o->batch},
                {"warmup", o->warmup},     {"threads", o->threads}, {"eval_every", o->eval_every},
                {"eval_max", o->eval_max}, {"f64", o->f64}};
    for (size_t i = 0; i < G_N_ELEMENTS(ints); i++) {
        json_builder_set_member_name(b, ints[i].name);
        json_builder_add_int_value(b, (gint64)ints[i].v);
    }
    json_builder_set_member_name(b, "lr");
    json_builder_add_double_value(b, o->lr);
    json_builder_set_member_name(b, "min_lr");
    json_builder_add_double_value(b, o->min_lr);
    json_builder_end_object(b);
    json_builder_end_object(b);
    return lk_json_builder_text(b, NULL);
}

static bool save_params(const Run *r, const char *dir, const char *file, GError **error)
{
    const LkNet *s = &r->shape;
    double *pd = g_new(double, s->n_params + 1);
    r->ops->to_double(r->p, pd, s->n_params);
    LkTensor *t[LK_NET_MAX_TENSORS];
    for (uint32_t i = 0; i < s->n_info; i++) {
        const LkParamInfo *in = &s->info[i];
        t[i] = lk_tensor_new(in->name, in->rank, in->shape, !r->o->f64);
        memcpy(t[i]->data, pd + in->at, t[i]->size * sizeof(double));
    }
    g_autofree char *cfg = config_json(r);
    const char *meta[] = {"format", "lrnnkit-train", "version", "1", "config", cfg, NULL};
    g_autofree char *path = g_build_filename(dir, file, NULL);
    const bool ok = lk_safetensors_write(path, t, s->n_info, meta, error);
    for (uint32_t i = 0; i < s->n_info; i++) lk_tensor_free(t[i]);
    g_free(pd);
    return ok;
}

/* ---- the run ---- */

#define fail(error, code, ...) lk_error_set(error, code, NULL, __VA_ARGS__)

static uint32_t longest(const LkExamples *e)
{
    uint64_t m = 0;
    for (uint64_t i = 0; i < e->n; i++) m = MAX(m, e->offset[i + 1] - e->offset[i]);
    return (uint32_t)m;
}

/* The next batch: consecutive runs of a per-epoch permutation. */
typedef struct {
    LkRng rng;
    uint64_t n, at, *perm;
} Order;

static void next_batch(Order *ord, uint64_t *idx, uint32_t B)
{
    for (uint32_t j = 0; j < B; j++) {
        if (ord->at == ord->n) {
            for (uint64_t i = 0; i < ord->n; i++) ord->perm[i] = i;
            for (uint64_t i = ord->n - 1; i > 0; i--) {
                const uint64_t k = lk_rng_below(&ord->rng, i + 1), x = ord->perm[i];
                ord->perm[i] = ord->perm[k], ord->perm[k] = x;
            }
            ord->at = 0;
        }
        idx[j] = ord->perm[ord->at++];
    }
}

bool lk_train_run(const char *data_dir, const char *run_dir, const LkTrainOptions *opts,
                  const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(data_dir != NULL, false);
    LkTrainOptions o = *opts;
    lk_train_options_resolve(&o);
    if (o.arch == LK_TRAIN_DELTANET && o.dim % o.heads)
        return fail(error, LK_ERROR_INPUT, "the heads (%s) must divide the width (--dim)",
                    "--heads");
    if (o.layers > (o.arch == LK_TRAIN_DELTANET ? LK_NET_MAX_LAYERS : 1))
        return fail(error, LK_ERROR_INPUT, "%s: %u layers (DeltaNet has 1 or 2, the others 1)",
                    "--layers", o.layers);
    g_autoptr(LkDataset) ds = lk_dataset_open(data_dir, error);
    if (!ds) return false;
    const LkDatasetSplitInfo *tr = lk_dataset_split(ds, "train");
    if (!tr)
        return fail(error, LK_ERROR_INPUT, "%s: the dataset has no split named \"train\"",
                    data_dir);
    if (ds->n_labels < 2)
        return fail(error, LK_ERROR_INPUT, "%s: a task with fewer than two labels", data_dir);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    g_autoptr(LkExamples) train = lk_dataset_read(ds, tr, &lim, error);
    if (!train) return false;
    if (!train->n) return fail(error, LK_ERROR_INPUT, "%s: the training split is empty", data_dir);
    const uint32_t V = lk_alphabet_size(ds->vocabulary) + 1;
    if (ds->pad_token >= V)
        return fail(error, LK_ERROR_INPUT, "%s: the pad token is out of range", data_dir);
    GArray *evals = g_array_new(FALSE, TRUE, sizeof(EvalSplit));
    bool ok = true;
    uint32_t max_len = longest(train);
    for (uint32_t i = 0; i < ds->n_splits && ok; i++) {
        if (ds->splits[i].name == tr->name || strcmp(ds->splits[i].name, "train") == 0) continue;
        EvalSplit es = {.name = ds->splits[i].name};
        ok = (es.ex = lk_dataset_read(ds, &ds->splits[i], &lim, error)) != NULL;
        if (!ok) break;
        if (o.eval_max && es.ex->n > o.eval_max) { /* keep the first eval_max */
            es.ex->n = o.eval_max;
        }
        const size_t np = ds->prefix_labels ? es.ex->offset[es.ex->n] : es.ex->n;
        es.pred = g_new(int32_t, np + 1);
        es.steps = g_array_new(FALSE, FALSE, sizeof(double));
        es.scaled = g_array_new(FALSE, FALSE, sizeof(double));
        max_len = MAX(max_len, longest(es.ex));
        g_array_append_val(evals, es);
    }
    Run r = {.o = &o, .ds = ds};
    if (o.arch == LK_TRAIN_DELTANET) {
        lk_net_deltanet(&r.shape, V, o.dim, ds->n_labels, o.heads, o.layers, o.negative);
        r.k = o.f64 ? &lk_deltanet_f64 : &lk_deltanet_f32;
    } else if (o.arch == LK_TRAIN_MAMBA) {
        lk_net_mamba(&r.shape, V, o.dim, ds->n_labels, o.state, o.negative);
        r.k = o.f64 ? &lk_mamba_f64 : &lk_mamba_f32;
    } else {
        lk_net_diagonal(&r.shape, V, o.dim, ds->n_labels, o.negative);
        r.k = o.f64 ? &lk_diag_f64 : &lk_diag_f32;
    }
    r.ops = o.f64 ? &lk_real_f64 : &lk_real_f32;
    const size_t rs = r.k->real_size, np = r.shape.n_params, ng = (size_t)V * r.shape.gt;
    const size_t ws = r.k->workspace(&r.shape, max_len);
    const uint64_t bytes =
        (uint64_t)o.threads * (np + ng + ws) * rs + (5 * np + r.shape.tab * V) * rs;
    ok = ok && lk_limits_check_bytes(&lim, bytes, "training workspace", error);
    ok = ok && (g_mkdir_with_parents(run_dir, 0755) == 0 ||
                fail(error, LK_ERROR_INPUT, "cannot create the directory %s", run_dir));
    GString *metrics = g_string_new(NULL);
    g_autofree char *metrics_path = g_build_filename(run_dir, "metrics.jsonl", NULL);
    uint64_t *idx = g_new(uint64_t, o.batch);
    int32_t *all_idx = o.dump_batches ? g_new(int32_t, o.steps * o.batch + 1) : NULL;
    Order ord = {.n = train->n, .at = train->n, .perm = g_new(uint64_t, train->n)};
    lk_rng_init_stream(&ord.rng, o.seed, 0x0bd3);
    if (ok) {
        double *init = g_new0(double, np + 1);
        init_params(&r.shape, o.seed, init);
        r.p = g_malloc0(np * rs), r.m = g_malloc0(np * rs), r.v = g_malloc0(np * rs);
        r.g = g_malloc0(np * rs), r.gt = g_malloc0(ng * rs);
        r.tab = g_malloc0(r.shape.tab * V * rs);
        r.ops->from_double(init, r.p, np);
        g_free(init);
        r.parts = g_new0(Part, o.threads);
        for (uint32_t i = 0; i < o.threads; i++) {
            r.parts[i] = (Part){.run = &r, .id = i};
            r.parts[i].ws = g_malloc0(ws * rs);
        }
        g_mutex_init(&r.lock);
        g_cond_init(&r.done_cond);
        if (o.threads > 1)
            r.pool = g_thread_pool_new(worker, NULL, (gint)o.threads - 1, TRUE, NULL);
        ok = save_params(&r, run_dir, "init.safetensors", error);
    }
    void **gps = ok ? g_new0(void *, o.threads) : NULL;
    for (uint32_t i = 0; ok && i < o.threads; i++) {
        gps[i] = r.parts[i].gp = g_malloc0(np * rs);
        r.parts[i].gt = g_malloc0(ng * rs);
    }
    for (uint64_t step = 1; ok && step <= o.steps; step++) {
        next_batch(&ord, idx, o.batch);
        if (all_idx)
            for (uint32_t j = 0; j < o.batch; j++)
                all_idx[(step - 1) * o.batch + j] = (int32_t)idx[j];
        const uint64_t cnt = counted_labels(&r, train, idx, o.batch);
        r.inv_n = cnt ? 1.0 / (double)cnt : 0;
        r.k->tokens(&r.shape, r.p, r.tab);
        for (uint32_t i = 0; i < o.threads; i++)
            r.parts[i].idx = idx, r.parts[i].ex = train, r.parts[i].pred = NULL,
            r.parts[i].gp = gps[i];
        run_parts(&r, o.batch);
        memset(r.g, 0, np * rs), memset(r.gt, 0, ng * rs);
        double loss = 0;
        for (uint32_t i = 0; i < o.threads; i++) {
            r.ops->accumulate(r.g, r.parts[i].gp, np);
            r.ops->accumulate(r.gt, r.parts[i].gt, ng);
            loss += r.parts[i].loss;
        }
        r.k->tokens_backward(&r.shape, r.p, r.tab, r.gt, r.g);
        const double lr = rate(&o, step - 1);
        r.ops->adamw(r.p, r.m, r.v, r.g, np, lr, step);
        loss *= r.inv_n;
        if (step % o.log_every == 0 || step == 1 || step == o.steps) {
            g_autoptr(JsonBuilder) b = json_builder_new();
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "step");
            json_builder_add_int_value(b, (gint64)step);
            json_builder_set_member_name(b, "loss");
            json_builder_add_double_value(b, loss);
            json_builder_set_member_name(b, "lr");
            json_builder_add_double_value(b, lr);
            json_builder_end_object(b);
            lk_json_builder_append_line(metrics, b);
        }
        if (step % o.eval_every == 0 || step == o.steps) {
            r.k->tokens(&r.shape, r.p, r.tab);
            for (guint i = 0; i < evals->len; i++)
                eval_split(&r, &g_array_index(evals, EvalSplit, i), step, metrics);
            ok = lk_atomic_write(metrics_path, metrics->str, metrics->len, error);
        }
        lk_progress("training steps", step, o.steps);
    }
    if (ok) ok = save_params(&r, run_dir, "model.safetensors", error);
    if (ok && all_idx) {
        const uint64_t shape[2] = {o.steps, o.batch};
        g_autoptr(GByteArray) npy = lk_npy_encode_i32(2, shape, all_idx);
        g_autofree char *path = g_build_filename(run_dir, "batches.npy", NULL);
        ok = lk_atomic_write(path, npy->data, npy->len, error);
    }
    if (ok) {
        LkTrainCurve *curves = g_new0(LkTrainCurve, evals->len + 1);
        for (guint i = 0; i < evals->len; i++) {
            EvalSplit *es = &g_array_index(evals, EvalSplit, i);
            curves[i] = (LkTrainCurve){.name = es->name,
                                       .n = es->steps->len,
                                       .x = (double *)es->steps->data,
                                       .y = (double *)es->scaled->data};
        }
        ok = lk_train_plot(run_dir, "scaled-accuracy-by-step.svg", "step", curves, evals->len,
                           error);
        for (guint i = 0; i < evals->len; i++) { /* the last evaluation by length */
            EvalSplit *es = &g_array_index(evals, EvalSplit, i);
            const LkScore *sc = &es->last;
            GArray *x = g_array_new(FALSE, FALSE, sizeof(double)),
                   *y = g_array_new(FALSE, FALSE, sizeof(double));
            for (uint32_t l = sc->min_len; sc->counted && l <= sc->max_len; l++) {
                if (!sc->len_counted[l - sc->min_len]) continue;
                g_array_append_val(x, (double){l});
                g_array_append_val(y,
                                   (double){scaled_acc((double)sc->len_correct[l - sc->min_len] /
                                                           (double)sc->len_counted[l - sc->min_len],
                                                       r.shape.C)});
            }
            curves[i].n = x->len;
            curves[i].x = (double *)g_array_free(x, FALSE);
            curves[i].y = (double *)g_array_free(y, FALSE);
        }
        ok = ok && lk_train_plot(run_dir, "scaled-accuracy-by-length.svg", "length", curves,
                                 evals->len, error);
        for (guint i = 0; i < evals->len; i++) g_free(curves[i].x), g_free(curves[i].y);
        g_free(curves);
    }
    if (r.pool) g_thread_pool_free(r.pool, FALSE, TRUE);
    for (uint32_t i = 0; r.parts && i < o.threads; i++)
        g_free(r.parts[i].ws), g_free(r.parts[i].gt), g_free(gps ? gps[i] : NULL);
    if (r.parts) g_mutex_clear(&r.lock), g_cond_clear(&r.done_cond);
    g_free(gps);
    g_free(r.parts);
    g_free(r.p), g_free(r.m), g_free(r.v), g_free(r.g), g_free(r.gt), g_free(r.tab);
    for (guint i = 0; i < evals->len; i++) {
        EvalSplit *es = &g_array_index(evals, EvalSplit, i);
        lk_examples_free(es->ex);
        g_free(es->pred);
        g_array_unref(es->steps), g_array_unref(es->scaled);
        lk_score_clear(&es->last);
    }
    g_array_unref(evals);
    g_string_free(metrics, TRUE);
    g_free(idx), g_free(all_idx), g_free(ord.perm);
    return ok;
}

/* ---- matrices for spectrum and orbit ---- */

bool lk_train_export_matrices(const char *run_dir, const char *npz_path, GError **error)
{
    g_return_val_if_fail(run_dir != NULL, false);
    g_autofree char *path = g_file_test(run_dir, G_FILE_TEST_IS_DIR)
                                ? g_build_filename(run_dir, "model.safetensors", NULL)
                                : g_strdup(run_dir);
    g_autoptr(GHashTable) meta = NULL;
    g_autoptr(GPtrArray) ts = lk_safetensors_read(path, NULL, &meta, error);
    if (!ts) return false;
    const char *cfg = g_hash_table_lookup(meta, "config");
    if (g_strcmp0(g_hash_table_lookup(meta, "format"), "lrnnkit-train") != 0 || !cfg)
        return fail(error, LK_ERROR_INPUT, "%s: not a model lrnnkit train wrote", path);
    g_autoptr(JsonParser) jp = json_parser_new();
    g_autofree char *where = g_strdup_printf("%s: __metadata__ config", path);
    if (!lk_json_parse(jp, cfg, -1, where, error)) return false;
    if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(jp)))
        return fail(error, LK_ERROR_INPUT, "%s: its config is not a JSON object", path);
    JsonObject *c = json_node_get_object(json_parser_get_root(jp));
    const char *model = json_object_get_string_member_with_default(c, "model", "");
    const bool deltanet = strcmp(model, "deltanet") == 0;
    if (strcmp(model, "diagonal") != 0 && !deltanet)
        return fail(error, LK_ERROR_INPUT,
                    "%s: only models whose transition depends on the current token alone export "
                    "matrices (the diagonal model, one-layer DeltaNet)",
                    path);
    const gint64 heads = json_object_get_int_member_with_default(c, "heads", 1);
    if (json_object_get_int_member_with_default(c, "layers", 1) != 1)
        return fail(error, LK_ERROR_INPUT,
                    "%s: a DeltaNet of more than one layer does not export matrices (the second "
                    "layer's transition depends on the history, not on the current token alone)",
                    path);
    const bool negative =
        strcmp(json_object_get_string_member_with_default(c, "eig", ""), "11") == 0;
    const LkTensor *emb = lk_tensors_find(ts, "embedding.weight"),
                   *dec = lk_tensors_find(ts, "decoder.weight");
    const gint64 pad = json_object_get_int_member_with_default(c, "pad_token", -1);
    if (!emb || !dec || emb->rank != 2 || dec->rank != 2 || emb->shape[1] != dec->shape[1] ||
        emb->shape[0] < 2 || emb->shape[1] == 0 || emb->shape[1] > 4096 || pad < 0 ||
        (uint64_t)pad >= emb->shape[0] || heads < 1 || (uint64_t)heads > emb->shape[1] ||
        emb->shape[1] % (uint64_t)heads || dec->shape[0] < 1 || dec->shape[0] > 65536)
        return fail(error, LK_ERROR_INPUT, "%s: the tensors are not a %s model's", path, model);
    LkNet s;
    if (deltanet)
        lk_net_deltanet(&s, (uint32_t)emb->shape[0], (uint32_t)emb->shape[1],
                        (uint32_t)dec->shape[0], (uint32_t)heads, 1, negative);
    else
        lk_net_diagonal(&s, (uint32_t)emb->shape[0], (uint32_t)emb->shape[1],
                        (uint32_t)dec->shape[0], negative);
    double *p = g_new0(double, s.n_params + 1);
    bool f32 = false;
    for (uint32_t i = 0; i < s.n_info; i++) {
        const LkTensor *t = lk_tensors_find(ts, s.info[i].name);
        bool same = t && t->rank == s.info[i].rank;
        for (uint32_t d = 0; same && d < t->rank; d++) same = t->shape[d] == s.info[i].shape[d];
        if (!same) {
            g_free(p);
            return fail(error, LK_ERROR_INPUT, "%s: the tensors are not a %s model's", path, model);
        }
        memcpy(p + s.info[i].at, t->data, t->size * sizeof(double));
        f32 |= t->f32;
    }
    /* the token table in the model's own precision, as training computed it */
    const LkNetKernels *k = deltanet ? (f32 ? &lk_deltanet_f32 : &lk_deltanet_f64)
                                     : (f32 ? &lk_diag_f32 : &lk_diag_f64);
    const LkRealOps *ops = f32 ? &lk_real_f32 : &lk_real_f64;
    const uint32_t D = s.D, V = s.V - 1; /* the pad token is not exported */
    void *pr = g_malloc0(s.n_params * k->real_size), *tab = g_malloc0(s.tab * s.V * k->real_size);
    ops->from_double(p, pr, s.n_params);
    k->tokens(&s, pr, tab);
    double *t = g_new(double, s.tab *s.V);
    ops->to_double(tab, t, s.tab * s.V);
    double *A = g_new0(double, (size_t)V *D *D + 1), *B = g_new0(double, (size_t)V *D + 1),
           *h0 = g_new0(double, D + 1);
    for (uint32_t v = 0, o = 0; v < s.V; v++) {
        if (v == (uint32_t)pad) continue;
        const double *row = t + (size_t)v * s.tab;
        double *a = A + (size_t)o * D * D, *b = B + (size_t)o * D;
        if (!deltanet) {
            for (uint32_t i = 0; i < D; i++)
                a[(size_t)i * D + i] = row[3 * D + i], b[i] = row[4 * D + i];
        } else { /* per head I - beta k k^T; B: beta k v_0, the first column of beta k v^T */
            const uint32_t H = s.H, dh = D / H;
            const double *kk = row + 3 * (size_t)D, *vv = row + 4 * (size_t)D,
                         *beta = row + 5 * (size_t)D + 3 * H;
            for (uint32_t h = 0; h < H; h++)
                for (uint32_t i = h * dh; i < (h + 1) * dh; i++) {
                    for (uint32_t j = h * dh; j < (h + 1) * dh; j++)
                        a[(size_t)i * D + j] = (i == j) - beta[h] * kk[i] * kk[j];
                    b[i] = beta[h] * kk[i] * vv[h * dh];
                }
        }
        o++;
    }
    const uint64_t sa[3] = {V, D, D}, sb[2] = {V, D}, sh[1] = {D};
    GByteArray *arrays[3] = {lk_npy_encode_f64(3, sa, A, f32), lk_npy_encode_f64(2, sb, B, f32),
                             lk_npy_encode_f64(1, sh, h0, f32)};
    const char *names[3] = {"A", "B", "h0"};
    const bool ok = lk_npz_write(npz_path, 3, names, arrays, error);
    for (int i = 0; i < 3; i++) g_byte_array_unref(arrays[i]);
    g_free(A), g_free(B), g_free(h0), g_free(t), g_free(p), g_free(pr), g_free(tab);
    return ok;
}
