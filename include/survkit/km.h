/*
 * survkit/km.h: (filled in by the km module).
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_KM_H
#define SURVKIT_KM_H

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_KM_H */
