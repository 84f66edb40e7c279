#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace plugdb::test {
namespace {

std::vector<std::string> environmentOf(const ProcessOptions& options) {
    std::vector<std::string> env;
    for (const auto& [key, value] : options.env) env.push_back(key + "=" + value);
    if (!options.env.contains("PATH")) env.push_back("PATH=/usr/bin:/bin");
    // Sanitizer settings reach the child, so a sanitized plugdb runs as the tests do.
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* value = std::getenv(name); value && !options.env.contains(name))
            env.push_back(std::string(name) + "=" + value);
    return env;
}

pid_t spawn(const std::vector<std::string>& argv, const ProcessOptions& options, int stdinFd,
            int stdoutFd, int stderrFd) {
    std::vector<std::string> env = environmentOf(options);
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(stdinFd, 0);
        dup2(stdoutFd, 1);
        dup2(stderrFd, 2);
        if (!options.workDir.empty() && chdir(options.workDir.c_str()) != 0) _exit(127);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
    return pid;
}

int exitCodeOf(int status, int* signalOut) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (signalOut && WIFSIGNALED(status)) *signalOut = WTERMSIG(status);
    return -1;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string tempFile(const char* tag) {
    std::string path =
        (std::filesystem::temp_directory_path() / ("plugdb-test-" + std::string(tag) + "-XXXXXX"))
            .string();
    const int fd = mkstemp(path.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    return path;
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
    // Files rather than pipes: no deadlock on large outputs, no reader threads.
    const std::string inPath = tempFile("in"), outPath = tempFile("out"), errPath = tempFile("err");
    std::ofstream(inPath) << options.input;
    const int inFd = open(inPath.c_str(), O_RDONLY);
    const int outFd = open(outPath.c_str(), O_WRONLY | O_TRUNC);
    const int errFd = open(errPath.c_str(), O_WRONLY | O_TRUNC);
    const pid_t pid = spawn(argv, options, inFd, outFd, errFd);
    close(inFd);
    close(outFd);
    close(errFd);
    int status = 0;
    waitpid(pid, &status, 0);
    ProcessResult result;
    result.exitCode = exitCodeOf(status, &result.signal);
    result.out = readAll(outPath);
    result.err = readAll(errPath);
    unlink(inPath.c_str());
    unlink(outPath.c_str());
    unlink(errPath.c_str());
    return result;
}

Child::Child(const std::vector<std::string>& argv, const ProcessOptions& options) {
    int pipeFds[2];
    if (pipe(pipeFds) != 0) throw std::runtime_error("pipe failed");
    errFile_ = tempFile("child-err");
    errFd_ = open(errFile_.c_str(), O_WRONLY | O_TRUNC);
    const int devNull = open("/dev/null", O_RDONLY);
    pid_ = spawn(argv, options, devNull, pipeFds[1], errFd_);
    close(devNull);
    close(pipeFds[1]);
    outFd_ = pipeFds[0];
}

Child::~Child() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (outFd_ >= 0) close(outFd_);
    if (errFd_ >= 0) close(errFd_);
    unlink(errFile_.c_str());
}

std::optional<std::string> Child::readLine(int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) return std::nullopt;
        pollfd fd{outFd_, POLLIN, 0};
        if (poll(&fd, 1, static_cast<int>(left)) <= 0) return std::nullopt;
        char chunk[4096];
        const ssize_t n = read(outFd_, chunk, sizeof chunk);
        if (n <= 0) return std::nullopt;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

void Child::signal(int sig) {
    kill(pid_, sig);
}

int Child::wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return exitCodeOf(status, nullptr);
}

std::string Child::stderrText() {
    return readAll(errFile_);
}

}  // namespace plugdb::test
