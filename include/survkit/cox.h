/*
 * survkit/cox.h: (filled in by the cox module).
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_COX_H
#define SURVKIT_COX_H

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_COX_H */
