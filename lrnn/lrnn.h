/** @file
 * lrnnkit — the lrnn/ module: every public header. */
#pragma once

#include "lrnn/compile.h"
#include "lrnn/dense.h"
#include "lrnn/engine.h"
#include "lrnn/matrices.h"
#include "lrnn/model.h"
#include "lrnn/precision.h"
#include "lrnn/stack.h"
#include "lrnn/verify.h"
#include "lrnn/weights.h"
