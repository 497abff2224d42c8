// One Clang module for GSL and CBLAS: GSL's gsl_cblas.h provides the cblas_* prototypes and
// the link line provides OpenBLAS's implementations (no -lgslcblas). LAPACKE is not used.
#ifndef SCALEFIT_CNUMERICS_H
#define SCALEFIT_CNUMERICS_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>

// OpenBLAS threading control (declared here to avoid importing OpenBLAS's cblas.h, whose
// CBLAS enums clash with gsl_cblas.h).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
