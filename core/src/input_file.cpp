#include "plugdb/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace plugdb {
namespace {

const char* kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

bool isRegularFile(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::string readInputFile(const std::string& path, std::size_t maxBytes, const std::string& what,
                          ErrorCategory category) {
    auto fail = [&](const std::string& why) -> std::string {
        throw Error(category, "cannot read " + what + " " + path + ": " + why);
    };
    if (path.find('\0') != std::string::npos) fail("the path contains a NUL byte");
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (file.get() < 0) return fail(std::strerror(errno));
    struct stat info {};
    if (::fstat(file.get(), &info) != 0) return fail(std::strerror(errno));
    if (!S_ISREG(info.st_mode))
        return fail(std::string("it is ") + kindOf(info.st_mode) + ", not a regular file");
    const auto limitText = [&] { return std::to_string(maxBytes) + " bytes"; };
    if (static_cast<unsigned long long>(info.st_size) > maxBytes)
        return fail("it holds " + std::to_string(info.st_size) + " bytes, over the limit of " +
                    limitText());
    std::string content;
    content.reserve(static_cast<std::size_t>(info.st_size));
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) continue;
            return fail(std::strerror(errno));
        }
        if (got == 0) break;
        // The file may grow while it is read: the limit holds for what is read.
        if (content.size() + static_cast<std::size_t>(got) > maxBytes)
            return fail("it grew past the limit of " + limitText() + " while being read");
        content.append(buffer, static_cast<std::size_t>(got));
    }
    return content;
}

}  // namespace plugdb
