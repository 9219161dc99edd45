/* lrnnkit — what the files of lrnn/ share and nobody else sees. */
#pragma once

#include "lrnn/model.h"

/* The float copies of a model (engine.c builds them in lk_lrnn_prepare). */
struct LkFloatPlan;
void lk_float_plan_free(struct LkFloatPlan *p);
