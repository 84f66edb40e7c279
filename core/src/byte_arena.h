// Copies of byte strings that keep their address while more are added: a
// view of one stays valid until the arena is cleared or destroyed.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace plugdb::detail {

class ByteArena {
public:
    ByteArena() = default;
    // A moved-from arena is empty, not pointing into the chunk it gave away.
    ByteArena(ByteArena&& other) noexcept
        : chunks_(std::exchange(other.chunks_, {})),
          free_(std::exchange(other.free_, nullptr)),
          left_(std::exchange(other.left_, 0)) {}
    ByteArena& operator=(ByteArena&& other) noexcept {
        chunks_ = std::exchange(other.chunks_, {});
        free_ = std::exchange(other.free_, nullptr);
        left_ = std::exchange(other.left_, 0);
        return *this;
    }

    // A copy of `bytes` in the arena.
    std::string_view keep(std::string_view bytes) {
        if (bytes.empty()) return {};
        if (bytes.size() > left_) {
            // Small copies share a chunk; a large one gets a chunk of its own.
            const std::size_t size = std::max(kChunkBytes, bytes.size());
            chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
            free_ = chunks_.back().get();
            left_ = size;
        }
        char* at = free_;
        std::memcpy(at, bytes.data(), bytes.size());
        free_ += bytes.size();
        left_ -= bytes.size();
        return {at, bytes.size()};
    }

private:
    // Below glibc's mmap threshold: freed chunks are reused by the next batch
    // instead of being faulted in afresh.
    static constexpr std::size_t kChunkBytes = 64 * 1024;

    std::vector<std::unique_ptr<char[]>> chunks_;
    char* free_ = nullptr;
    std::size_t left_ = 0;
};

}  // namespace plugdb::detail
