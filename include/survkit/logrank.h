/*
 * survkit/logrank.h: (filled in by the logrank module).
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_LOGRANK_H
#define SURVKIT_LOGRANK_H

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_LOGRANK_H */
