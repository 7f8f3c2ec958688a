package inboxsim
