GuestInit.run()
