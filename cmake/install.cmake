# install.cmake - what `cmake --install build --prefix P` puts where (issue 12):
#   P/bin/trainsim, P/share/man/man1/trainsim.1, the bash and zsh completions, and the example
#   scenarios (with their series files) under P/share/trainsim/scenarios.
include(GNUInstallDirs)
install(TARGETS trainsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/share/man/man1/trainsim.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/share/bash-completion/completions/trainsim
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${PROJECT_SOURCE_DIR}/share/zsh/site-functions/_trainsim
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios DESTINATION ${CMAKE_INSTALL_DATADIR}/trainsim)
