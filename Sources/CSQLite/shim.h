#ifndef SCALEFIT_CSQLITE_H
#define SCALEFIT_CSQLITE_H
#include <sqlite3.h>
#endif
