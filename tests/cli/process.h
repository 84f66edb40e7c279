// Running the plugdb binary as a child process with a chosen environment.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace plugdb::test {

struct ProcessResult {
    int exitCode = -1;  // -1 when killed by a signal
    int signal = 0;     // the signal that ended it, if any
    std::string out;
    std::string err;
};

struct ProcessOptions {
    std::map<std::string, std::string> env;  // the complete environment (PATH is added)
    std::string workDir;                     // empty: inherit
    std::string input;                       // written to stdin
};

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options);

// A background child whose stdout is read line by line.
class Child {
public:
    Child(const std::vector<std::string>& argv, const ProcessOptions& options);
    ~Child();
    // Next stdout line, or nullopt on EOF or after timeoutMs.
    std::optional<std::string> readLine(int timeoutMs);
    void signal(int sig);
    pid_t pid() const { return pid_; }
    // Waits for exit; returns the exit code (-1 if killed by a signal).
    int wait();
    std::string stderrText();

private:
    pid_t pid_ = -1;
    int outFd_ = -1;
    int errFd_ = -1;
    std::string buffer_;
    std::string errFile_;
};

}  // namespace plugdb::test
