/* lrnnkit train: train a linear RNN on a dataset of `lrnnkit gen` (train/). */
#include "automata/progress.h"
#include "tools/cli.h"
#include "train/train.h"

#include <string.h>

int lk_cmd_train(int argc, char **argv)
{
    g_autofree char *model = NULL, *eig = NULL, *data = NULL, *output = NULL, *export = NULL,
                    *max_memory_text = NULL;
    gint64 seed = 0, steps = 0, batch = 0, dim = 0, layers = 0, heads = 0, state = 0, threads = 0,
           warmup = 0, eval_every = 0, log_every = 0, eval_max = 0, bucket = 0;
    double lr = 0, min_lr = 0;
    gboolean f64 = FALSE, dump = FALSE, quiet = FALSE;
    uint64_t max_memory = 0;
    GOptionEntry entries[] = {
        {"model", 0, 0, G_OPTION_ARG_STRING, &model,
         "diagonal (the paper's toy model of Figure 1), deltanet (1 or 2 layers, no convolution) "
         "or "
         "mamba (one Mamba-style selective diagonal layer)",
         "M"},
        {"eig", 0, 0, G_OPTION_ARG_STRING, &eig,
         "Eigenvalues of the recurrence: 01 for [0, 1] (sigmoid) or 11 for [-1, 1] (tanh)", "R"},
        {"data", 0, 0, G_OPTION_ARG_FILENAME, &data,
         "Dataset directory or manifest of 'lrnnkit gen': split train trains, the others are "
         "evaluated",
         "DIR"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Run directory: metrics.jsonl, init.safetensors, model.safetensors, plots", "RUN"},
        {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of initialization and batch order (0)",
         "S"},
        {"steps", 0, 0, G_OPTION_ARG_INT64, &steps, "Optimizer steps (20000)", "N"},
        {"batch", 0, 0, G_OPTION_ARG_INT64, &batch, "Examples per step (256)", "B"},
        {"lr", 0, 0, G_OPTION_ARG_DOUBLE, &lr, "Peak learning rate of AdamW (1e-3)", "X"},
        {"min-lr", 0, 0, G_OPTION_ARG_DOUBLE, &min_lr, "Learning rate at the last step (1e-6)",
         "X"},
        {"warmup", 0, 0, G_OPTION_ARG_INT64, &warmup, "Linear warm-up steps (steps / 10)", "N"},
        {"dim", 0, 0, G_OPTION_ARG_INT64, &dim, "Model width (diagonal 10, the others 32)", "D"},
        {"layers", 0, 0, G_OPTION_ARG_INT64, &layers,
         "DeltaNet: layers, 1 or 2 (1); the others have one", "L"},
        {"heads", 0, 0, G_OPTION_ARG_INT64, &heads,
         "DeltaNet heads, dividing --dim (1); the diagonal model has none", "H"},
        {"state", 0, 0, G_OPTION_ARG_INT64, &state, "Mamba: state size per channel (16)", "N"},
        {"threads", 0, 0, G_OPTION_ARG_INT64, &threads,
         "Threads over the batch (1); the same seed and threads give the same bytes", "T"},
        {"f64", 0, 0, G_OPTION_ARG_NONE, &f64, "Compute and save in float64 (default float32)",
         NULL},
        {"eval-every", 0, 0, G_OPTION_ARG_INT64, &eval_every,
         "Evaluate every N steps and at the end (steps / 20)", "N"},
        {"log-every", 0, 0, G_OPTION_ARG_INT64, &log_every, "A loss line every N steps (100)", "N"},
        {"eval-max", 0, 0, G_OPTION_ARG_INT64, &eval_max,
         "Evaluate the first N examples of each split (all)", "N"},
        {"bucket", 0, 0, G_OPTION_ARG_INT64, &bucket, "Width of the length buckets (16)", "W"},
        {"dump-batches", 0, 0, G_OPTION_ARG_NONE, &dump,
         "Write RUN/batches.npy: the training examples of every step", NULL},
        {"export-matrices", 0, 0, G_OPTION_ARG_FILENAME, &export,
         "Write the per-token A, B, h0 of the trained model RUN to the .npz given after it "
         "(spectrum --matrices, orbit --matrices)",
         "RUN"},
        {"max-memory", 0, 0, G_OPTION_ARG_STRING, &max_memory_text,
         "Limit on the memory of the data and workspace: bytes, or with K, M, G or T (default: "
         "half of physical memory); exit 3 past it",
         "SIZE"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new(
        "--model M --eig 01|11 --data DIR -o RUN | --export-matrices RUN F.npz - train an LRNN");
    g_option_context_set_summary(
        ctx,
        "Trains an LRNN whose recurrence has eigenvalues in [0, 1] or [-1, 1] on a dataset of "
        "'lrnnkit gen': the paper's toy diagonal model (h = a*h + b*u, a = sigmoid(10 .) or "
        "tanh(10 .)), one or two DeltaNet layers (beta = sigmoid or 2 sigmoid) or one Mamba-style "
        "layer "
        "(A = exp(-dt exp(a)) or 2 exp(-dt exp(a)) - 1), with AdamW, warm-up and cosine decay. "
        "Writes RUN/metrics.jsonl (loss "
        "lines {step, loss, lr}; evaluation lines {step, split, accuracy, scaled_accuracy, "
        "by_length}), RUN/init.safetensors and RUN/model.safetensors (NumPy and PyTorch load "
        "them) and SVG plots of scaled accuracy against step and length.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_range(&seed, "seed", 0, G_MAXINT64, 0);
    lk_cli_range(&steps, "steps", 1, 100000000, 0);
    lk_cli_range(&batch, "batch", 1, 1000000, 0);
    lk_cli_range(&dim, "dim", 1, 4096, 0);
    lk_cli_range(&layers, "layers", 1, 2, 0);
    lk_cli_range(&heads, "heads", 1, 1024, 0);
    lk_cli_range(&threads, "threads", 1, 256, 0);
    lk_cli_range(&state, "state", 1, 1024, 0);
    lk_cli_range(&warmup, "warmup", 1, G_MAXINT64, 0);
    lk_cli_range(&eval_every, "eval-every", 1, G_MAXINT64, 0);
    lk_cli_range(&log_every, "log-every", 1, G_MAXINT64, 0);
    lk_cli_range(&eval_max, "eval-max", 1, G_MAXINT64, 0);
    lk_cli_range(&bucket, "bucket", 1, 1000000, 0);
    lk_cli_size(&max_memory_text, &max_memory, "max-memory");
    if (!lk_cli_parse(ctx, &argc, &argv)) return LK_EXIT_USAGE;
    GError *err = NULL;
    if (export) {
        if (argc != 2) return lk_cli_usage("--export-matrices RUN needs one output file F.npz");
        if (!lk_train_export_matrices(export, argv[1], &err)) return lk_cli_fail(err, NULL);
        return LK_EXIT_OK;
    }
    if (argc > 1) return lk_cli_usage("train takes no arguments besides its options");
    if (!model || !eig || !data || !output)
        return lk_cli_usage("train needs --model, --eig, --data and -o RUN");
    const bool deltanet = strcmp(model, "deltanet") == 0, mamba = strcmp(model, "mamba") == 0;
    if (strcmp(model, "diagonal") != 0 && !deltanet && !mamba)
        return lk_cli_usage("unknown model '%s' (diagonal, deltanet, mamba)", model);
    if (state && !mamba) return lk_cli_usage("--state is the Mamba-style model's");
    if (strcmp(eig, "01") != 0 && strcmp(eig, "11") != 0)
        return lk_cli_usage("--eig is 01 ([0, 1]) or 11 ([-1, 1])");
    if (heads && !deltanet) return lk_cli_usage("the diagonal model has no heads");
    if (layers > 1 && !deltanet)
        return lk_cli_usage("--layers 2 is DeltaNet's (the others have one)");
    if (lr < 0 || min_lr < 0 || !(lr < 1e3) || !(min_lr < 1e3))
        return lk_cli_usage("--lr and --min-lr are rates in [0, 1000)");
    if (quiet) lk_progress_set(NULL);
    LkTrainOptions o = {.arch = deltanet ? LK_TRAIN_DELTANET
                                : mamba  ? LK_TRAIN_MAMBA
                                         : LK_TRAIN_DIAGONAL,
                        .state = (uint32_t)state,
                        .heads = (uint32_t)heads,
                        .layers = (uint32_t)layers,
                        .negative = strcmp(eig, "11") == 0,
                        .dim = (uint32_t)dim,
                        .seed = (uint64_t)seed,
                        .steps = (uint64_t)steps,
                        .batch = (uint32_t)batch,
                        .lr = lr,
                        .min_lr = min_lr,
                        .warmup = (uint64_t)warmup,
                        .threads = (uint32_t)threads,
                        .f64 = f64,
                        .eval_every = (uint64_t)eval_every,
                        .log_every = (uint64_t)log_every,
                        .eval_max = (uint64_t)eval_max,
                        .bucket = (uint32_t)bucket,
                        .dump_batches = dump,
                        .quiet = quiet};
    if (!lk_train_run(data, output, &o, &(LkLimits){.max_memory = max_memory}, &err))
        return lk_cli_fail(err, NULL);
    return LK_EXIT_OK;
}
