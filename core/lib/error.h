/*
 * Negative error codes returned across vmxroot. 0 is success; every failing
 * function returns one of these, and messages print them by name.
 */
#ifndef CORE_LIB_ERROR_H
#define CORE_LIB_ERROR_H

enum error_code {
    E_OK = 0,
    E_INVAL = -1,    /* malformed input: a table, an option, an argument */
    E_NOMEM = -2,    /* no frame, no pool slot, no room in a fixed array */
    E_NOENT = -3,    /* the thing looked for is not there */
    E_RANGE = -4,    /* a length or address runs past where it may */
    E_CHECKSUM = -5, /* a table's checksum does not add up */
    E_TIMEOUT = -6,  /* a bounded wait ran out */
    E_STATE = -7,    /* the object is in the wrong state for this operation */
    E_BUSY = -8,     /* owned by, or active on, another CPU */
    E_NOTSUP = -9,   /* the hardware lacks the feature */
    E_DENIED = -10,  /* firmware or another owner forbids it */
    E_VMX = -11,     /* a VMX instruction failed; its outcome says how */
    E_FAULT = -12,   /* a guard refused an operation that would break a rule */
};

/* "E_NOMEM" for E_NOMEM; "E_?" for a code that is not in the table. */
const char *error_name(int err);

#endif
