// Entry point: parse options, hide passwords from the process list, run.
#include <Poco/Exception.h>

#include <cstring>
#include <iostream>

#include "app.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"

namespace {

void blank(char* from, char* to) {
    for (char* p = from; p < to; ++p) *p = 'x';
}

// Overwrites URL passwords and password=... values in argv so `ps` never shows
// them. Runs after the options were copied, so parsing is unaffected.
void scrubArguments(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        char* arg = argv[i];
        char* end = arg + std::strlen(arg);
        if (char* scheme = std::strstr(arg, "://")) {
            // Up to the last '@': a password may hold an unencoded '/' or '@'.
            char* authority = scheme + 3;
            char* at = std::strrchr(authority, '@');
            if (at != nullptr) {
                if (char* colon = static_cast<char*>(std::memchr(authority, ':', at - authority)))
                    blank(colon + 1, at);
            }
        }
        if (char* key = std::strstr(arg, "password=")) blank(key + std::strlen("password="), end);
    }
}

}  // namespace

int main(int argc, char** argv) {
    plugdb::host::HostApp app;
    try {
        app.init(1, argv);  // the options are parsed below, in linear time
        app.parseArguments(argc, argv);
    } catch (const plugdb::Error& e) {
        std::cerr << "plugdb: " << plugdb::secrets::mask(e.what()) << "\n";
        return plugdb::host::kExitUsage;
    } catch (const Poco::Exception& e) {
        std::cerr << "plugdb: " << plugdb::secrets::mask(e.displayText())
                  << "; run 'plugdb --help'\n";
        return plugdb::host::kExitUsage;
    }
    scrubArguments(argc, argv);
    return app.run();
}
