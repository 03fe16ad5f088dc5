// Identifier generation: the one source of resource, job and request ids.
// Safe for concurrent use. By default ids are unpredictable (resource and job
// ids from OpenSSL's CSPRNG, request ids from a per-thread Randen generator,
// ids.cc). SeedIds switches every id source to a seeded generator, so that
// the same sequence of calls yields the same ids (reproducible test runs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace connectplane::common {

// RFC 4122 version-4 UUID in lower-case canonical form (36 chars), the shape
// Huawei uses for instance and connector ids.
std::string NewUuid();

// A version-4 UUID for a job (the Huawei job id shape). Its own stream when
// seeded, so job ids do not shift resource ids.
std::string NewJobId();

// 32 lower-case hex chars for a resource id of another shape (Zenlayer's
// decimal ids are derived from them). Same stream as NewUuid.
std::string NewResourceHex();

// 32 lower-case hex chars, the shape of Huawei request ids. Unique, not
// secret (per-thread generator, no system call).
std::string NewRequestId();

// A version-4 UUID from the same generator as NewRequestId, for request ids
// that look like UUIDs (Zenlayer's).
std::string NewRequestUuid();

// 8 hex chars for the random part of an audit entry id. Its own stream when
// seeded (audit entries are written by requests and by the job runner).
std::string NewAuditSuffix();

// 8 hex chars that are never seeded: identities that must differ between
// processes started with the same seed (a job runner's lease owner id).
std::string NewProcessNonce();

// From now on every id above (except NewProcessNonce) comes from a generator
// seeded with `seed`: each stream (resources, jobs, requests, audit) restarts
// at its first value, so two processes, or one process seeded twice, that
// serve the same calls in the same order hand out the same ids. Ids drawn
// concurrently are unique but their order follows the threads' interleaving.
void SeedIds(uint64_t seed);
// Back to unpredictable ids.
void UnseedIds();
// The seed in effect, if any.
std::optional<uint64_t> IdSeed();

}  // namespace connectplane::common
