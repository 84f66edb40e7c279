#pragma once

#include <Poco/Util/Application.h>
#include <Poco/Util/OptionSet.h>

#include "commands.h"

namespace plugdb::host {

// The plugdb command-line host: `plugdb [options] <command> [arguments]`.
class HostApp : public Poco::Util::Application {
public:
    // Handles the options and keeps the other arguments; call after init()
    // was given only the program name.
    void parseArguments(int argc, char** argv);

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    void printHelp(const std::string& command) const;
    Config buildConfig() const;

    bool help_ = false;
    bool version_ = false;
    std::vector<std::string> givenOptions_;  // long names, to check they suit the command
    std::string configFile_;
    std::vector<std::pair<std::string, std::string>> flagSettings_;  // key, value from flags
    std::vector<std::string> flagOrigins_;
    Invocation invocation_;
    std::vector<std::string> arguments_;  // the command and its arguments
};

}  // namespace plugdb::host
