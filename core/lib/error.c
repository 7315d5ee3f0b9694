#include "core/lib/error.h"
#include "core/lib/compiler.h"

static const char *const error_names[] = {
    [0] = "E_OK",           [-E_INVAL] = "E_INVAL",       [-E_NOMEM] = "E_NOMEM",     [-E_NOENT] = "E_NOENT",
    [-E_RANGE] = "E_RANGE", [-E_CHECKSUM] = "E_CHECKSUM", [-E_TIMEOUT] = "E_TIMEOUT", [-E_STATE] = "E_STATE",
    [-E_BUSY] = "E_BUSY",   [-E_NOTSUP] = "E_NOTSUP",     [-E_DENIED] = "E_DENIED",   [-E_VMX] = "E_VMX",
    [-E_FAULT] = "E_FAULT",
};

const char *error_name(int err)
{
    if (err > 0 || (unsigned)-err >= ARRAY_SIZE(error_names) || !error_names[-err])
        return "E_?";
    return error_names[-err];
}
